package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Glob;

import java.util.List;
import java.util.Set;

/**
 * Who is behind a connection and what it may do, fixed at the upgrade.
 */
final class Principal {

  /** The role of every connection while authentication is off. */
  static final String ANONYMOUS_ROLE = "anonymous";

  private final String subject;
  private final Set<String> roles;
  /** The {@code jw-principal} header for handlers, null for anonymous connections. */
  private final String header;
  /** When the token expires (epoch ms), 0 when it does not. */
  private final long expiresAtMs;
  /** Null: everything is permitted (no rules configured). */
  private final List<AccessRule> rules;

  Principal(String subject, Set<String> roles, JsonObject claims, long expiresAtMs, List<AccessRule> rules) {
    this.subject = subject;
    this.roles = Set.copyOf(roles);
    this.expiresAtMs = expiresAtMs;
    this.rules = rules == null ? null : rules.stream().filter(rule -> rule.appliesTo(this.roles)).toList();
    this.header = claims == null ? null : new JsonObject()
      .put("sub", subject)
      .put("roles", new JsonArray(List.copyOf(this.roles)))
      .put("claims", claims)
      .encode();
  }

  static Principal anonymous(List<AccessRule> rules) {
    return new Principal(null, Set.of(ANONYMOUS_ROLE), null, 0, rules);
  }

  /** The token's {@code sub}, null for anonymous connections. */
  String subject() {
    return subject;
  }

  String header() {
    return header;
  }

  long expiresAtMs() {
    return expiresAtMs;
  }

  boolean mayCall(String command) {
    return rules == null || rules.stream().anyMatch(rule -> matches(rule.commands, command));
  }

  boolean maySubscribe(String topic) {
    return rules == null || rules.stream().anyMatch(rule -> matches(rule.subscribe, topic));
  }

  boolean mayPublish(String topic) {
    return rules == null || rules.stream().anyMatch(rule -> matches(rule.publish, topic));
  }

  /** May read {@code /stats} and {@code /metrics}. */
  boolean mayMonitor() {
    return rules == null || rules.stream().anyMatch(rule -> rule.monitor);
  }

  private static boolean matches(List<Glob> globs, String name) {
    return globs.stream().anyMatch(glob -> glob.matches(name));
  }
}
