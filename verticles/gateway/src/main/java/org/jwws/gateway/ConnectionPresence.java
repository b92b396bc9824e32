package org.jwws.gateway;

import io.vertx.core.Future;

import java.util.HashSet;
import java.util.Set;

/**
 * One connection's presence: the presence topics it is listed in, those it wants join/leave
 * events of, and its store operations, chained so that a leave never overtakes its join.
 * Touched only from the connection's event loop.
 */
final class ConnectionPresence {

  private final Presence presence;
  private final String connection;
  private final String principal;
  /** Made with the first presence topic: connections that never meet one cost nothing. */
  private String entry;
  private final Set<String> listed = new HashSet<>();
  private final Set<String> events = new HashSet<>();
  private Future<Void> last = Future.succeededFuture();

  ConnectionPresence(Presence presence, String connection, String principal) {
    this.presence = presence;
    this.connection = connection;
    this.principal = principal;
  }

  /** A subscription: listed when the topic has presence; events when asked for. */
  void subscribed(String topic, boolean wantsEvents) {
    if (!presence.has(topic)) {
      return;
    }
    if (wantsEvents) {
      events.add(topic);
    }
    if (entry == null) {
      entry = presence.entry(connection, principal);
    }
    if (listed.add(topic)) {
      last = last.transform(ar -> presence.join(topic, entry));
    }
  }

  void unsubscribed(String topic) {
    events.remove(topic);
    if (listed.remove(topic)) {
      last = last.transform(ar -> presence.leave(topic, entry));
    }
  }

  void closed() {
    events.clear();
    for (String topic : listed) {
      last = last.transform(ar -> presence.leave(topic, entry));
    }
    listed.clear();
  }

  boolean wantsEvents(String topic) {
    return events.contains(topic);
  }
}
