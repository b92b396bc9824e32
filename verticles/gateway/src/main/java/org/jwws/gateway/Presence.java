package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.Glob;
import org.jwws.shared.internal.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Who is subscribed to presence topics, cluster-wide: entries kept in a {@link PresenceStore},
 * and the {@code join}/{@code leave} events published on {@code topic.<name>} (header
 * {@code jw-kind: presence}) by whoever added or removed an entry.
 */
final class Presence {

  private static final Logger log = LoggerFactory.getLogger(Presence.class);
  private static final DeliveryOptions EVENT = new DeliveryOptions().addHeader(Headers.KIND, Headers.KIND_PRESENCE);

  private final Vertx vertx;
  private final PresenceStore store;
  private final List<Glob> topics;
  private final int maxList;

  Presence(Vertx vertx, PresenceStore store, List<Glob> topics, int maxList) {
    this.vertx = vertx;
    this.store = store;
    this.topics = List.copyOf(topics);
    this.maxList = maxList;
  }

  boolean has(String topic) {
    return !topics.isEmpty() && Glob.anyMatches(topics, topic);
  }

  /** The entry of one connection: the same text every time, so that it can be removed by value. */
  String entry(String connection, String principal) {
    return new JsonObject().put("conn", connection).put("principal", principal).put("node", store.nodeId()).encode();
  }

  Future<Void> join(String topic, String entry) {
    return store.add(topic, store.nodeId(), entry).onSuccess(v -> announce(Envelope.ACTION_JOIN, topic, entry));
  }

  Future<Void> leave(String topic, String entry) {
    return store.remove(topic, store.nodeId(), entry).map(removed -> {
      if (removed) {
        announce(Envelope.ACTION_LEAVE, topic, entry);
      }
      return null;
    });
  }

  /** {@code data}: at most {@code maxPresenceList} entries; {@code count}: all of them. */
  Future<JsonObject> list(String topic) {
    return store.list(topic).map(entries -> {
      JsonArray data = new JsonArray();
      for (String entry : entries.subList(0, Math.min(maxList, entries.size()))) {
        data.add(new JsonObject(entry));
      }
      return new JsonObject().put(Envelope.DATA, data).put("count", entries.size());
    });
  }

  /** A node left the cluster (or this one is stopping): its entries go, with their leave events. */
  Future<Integer> nodeGone(String node) {
    return store.removeNode(node).map(removed -> {
      for (Map.Entry<String, String> entry : removed) {
        announce(Envelope.ACTION_LEAVE, entry.getKey(), entry.getValue());
      }
      if (!removed.isEmpty()) {
        log.info("presence: {} entries of node {} removed", removed.size(), node);
      }
      return removed.size();
    });
  }

  Future<Integer> removeOwn() {
    return nodeGone(store.nodeId());
  }

  private void announce(String action, String topic, String entry) {
    String event = new JsonObject().put(Envelope.MODE, Envelope.MODE_PUB_SUB).put(Envelope.ACTION, action)
      .put(Envelope.TOPIC, topic).put(Envelope.DATA, new JsonObject(entry)).encode();
    vertx.eventBus().publish(Addresses.topic(topic), event, EVENT);
  }
}
