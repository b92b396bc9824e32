package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Glob;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One rule of the access config: principals holding one of {@code roles} ({@code *}: anyone)
 * may call {@code commands}, subscribe to {@code subscribe} and publish to {@code publish}
 * (lists of globs), and read the node's statistics and metrics when {@code monitor} is true.
 */
final class AccessRule {

  final Set<String> roles;
  final List<Glob> commands;
  final List<Glob> subscribe;
  final List<Glob> publish;
  /** May read {@code /stats} and {@code /metrics}. */
  final boolean monitor;

  AccessRule(JsonObject json) {
    roles = strings(json, "roles").stream().collect(Collectors.toUnmodifiableSet());
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("an access rule needs roles: " + json.encode());
    }
    commands = globs(json, "commands");
    subscribe = globs(json, "subscribe");
    publish = globs(json, "publish");
    monitor = json.getBoolean("monitor", false);
  }

  boolean appliesTo(Set<String> principalRoles) {
    return roles.contains("*") || principalRoles.stream().anyMatch(roles::contains);
  }

  private static List<Glob> globs(JsonObject json, String key) {
    return strings(json, key).stream().map(Glob::of).collect(Collectors.toUnmodifiableList());
  }

  private static List<String> strings(JsonObject json, String key) {
    JsonArray values = json.getJsonArray(key, new JsonArray());
    return values.stream().map(value -> {
      if (!(value instanceof String)) {
        throw new IllegalArgumentException("access rule '" + key + "' takes strings: " + json.encode());
      }
      return (String) value;
    }).collect(Collectors.toList());
  }
}
