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
  /** Made with the first presence topic too (most connections never meet one). */
  private Set<String> listed;
  private Set<String> events;
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
    if (entry == null) {
      entry = presence.entry(connection, principal);
      listed = new HashSet<>();
      events = new HashSet<>();
    }
    if (wantsEvents) {
      events.add(topic);
    }
    if (listed.add(topic)) {
      last = last.transform(ar -> presence.join(topic, entry));
    }
  }

  void unsubscribed(String topic) {
    if (entry == null) {
      return;
    }
    events.remove(topic);
    if (listed.remove(topic)) {
      last = last.transform(ar -> presence.leave(topic, entry));
    }
  }

  void closed() {
    if (entry == null) {
      return;
    }
    events.clear();
    for (String topic : listed) {
      last = last.transform(ar -> presence.leave(topic, entry));
    }
    listed.clear();
  }

  boolean wantsEvents(String topic) {
    return entry != null && events.contains(topic);
  }
}
