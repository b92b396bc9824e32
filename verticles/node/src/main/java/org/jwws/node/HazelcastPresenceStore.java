package org.jwws.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.multimap.MultiMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jwws.gateway.PresenceStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Presence held in the cluster: MultiMap {@value #ENTRIES} (topic to entries) and its index
 * {@value #BY_NODE} (node to {@code <topic>\n<entry>}), both with Hazelcast's default one
 * backup. A MultiMap remove answers true to one caller only: every survivor of a dead member
 * may clean up after it, and each leave is announced once.
 */
final class HazelcastPresenceStore implements PresenceStore {

  static final String ENTRIES = "jw.presence";
  static final String BY_NODE = "jw.presence-nodes";

  private final Vertx vertx;
  private final String nodeId;
  private final HazelcastInstance hazelcast;
  /** Proxies made on first use, on a worker: making one is a cluster operation. */
  private volatile MultiMap<String, String> entries;
  private volatile MultiMap<String, String> byNode;

  HazelcastPresenceStore(Vertx vertx, HazelcastInstance hazelcast, String nodeId) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
  }

  /** Called on a worker thread. */
  private MultiMap<String, String> entries() {
    if (entries == null) {
      entries = hazelcast.getMultiMap(ENTRIES);
    }
    return entries;
  }

  private MultiMap<String, String> byNode() {
    if (byNode == null) {
      byNode = hazelcast.getMultiMap(BY_NODE);
    }
    return byNode;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public Future<Void> add(String topic, String node, String entry) {
    return vertx.executeBlocking(() -> {
      // the index first: a node dying in between leaves no entry the index does not know
      byNode().put(node, topic + "\n" + entry);
      entries().put(topic, entry);
      return null;
    }, false);
  }

  @Override
  public Future<Boolean> remove(String topic, String node, String entry) {
    return vertx.executeBlocking(() -> {
      boolean removed = entries().remove(topic, entry);
      byNode().remove(node, topic + "\n" + entry);
      return removed;
    }, false);
  }

  @Override
  public Future<List<String>> list(String topic) {
    return vertx.executeBlocking(() -> new ArrayList<>(entries().get(topic)), false);
  }

  @Override
  public Future<List<Map.Entry<String, String>>> removeNode(String node) {
    return vertx.executeBlocking(() -> {
      Collection<String> held = byNode().remove(node);
      List<Map.Entry<String, String>> removed = new ArrayList<>();
      for (String item : held) {
        int cut = item.indexOf('\n');
        String topic = item.substring(0, cut);
        String entry = item.substring(cut + 1);
        if (entries().remove(topic, entry)) {
          removed.add(Map.entry(topic, entry));
        }
      }
      return removed;
    }, false);
  }
}
