package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Glob;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

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
  /**
   * What the rules of this principal's roles permit, merged once: null when no rules are
   * configured (everything is permitted).
   */
  private final List<Glob> commands;
  private final List<Glob> subscribe;
  private final List<Glob> publish;
  private final boolean monitor;

  Principal(String subject, Set<String> roles, JsonObject claims, long expiresAtMs, List<AccessRule> rules) {
    this.subject = subject;
    this.roles = Set.copyOf(roles);
    this.expiresAtMs = expiresAtMs;
    List<AccessRule> own = rules == null ? null : rules.stream().filter(rule -> rule.appliesTo(this.roles)).toList();
    this.commands = merged(own, rule -> rule.commands);
    this.subscribe = merged(own, rule -> rule.subscribe);
    this.publish = merged(own, rule -> rule.publish);
    this.monitor = own == null || own.stream().anyMatch(rule -> rule.monitor);
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
    return commands == null || Glob.anyMatches(commands, command);
  }

  boolean maySubscribe(String topic) {
    return subscribe == null || Glob.anyMatches(subscribe, topic);
  }

  boolean mayPublish(String topic) {
    return publish == null || Glob.anyMatches(publish, topic);
  }

  /** May read {@code /stats} and {@code /metrics}. */
  boolean mayMonitor() {
    return monitor;
  }

  private static List<Glob> merged(List<AccessRule> rules, Function<AccessRule, List<Glob>> globs) {
    return rules == null ? null : rules.stream().flatMap(rule -> globs.apply(rule).stream()).toList();
  }
}
