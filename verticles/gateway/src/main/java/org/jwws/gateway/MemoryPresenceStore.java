package org.jwws.gateway;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The presence of a standalone node: in its memory. */
final class MemoryPresenceStore implements PresenceStore {

  static final String NODE_ID = "standalone";

  private final Map<String, Set<String>> entries = new HashMap<>();
  private final Map<String, Set<Map.Entry<String, String>>> byNode = new HashMap<>();

  @Override
  public String nodeId() {
    return NODE_ID;
  }

  @Override
  public synchronized Future<Void> add(String topic, String node, String entry) {
    entries.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(entry);
    byNode.computeIfAbsent(node, n -> new LinkedHashSet<>()).add(Map.entry(topic, entry));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> remove(String topic, String node, String entry) {
    Set<String> held = entries.get(topic);
    boolean removed = held != null && held.remove(entry);
    if (held != null && held.isEmpty()) {
      entries.remove(topic);
    }
    Set<Map.Entry<String, String>> ofNode = byNode.get(node);
    if (ofNode != null) {
      ofNode.remove(Map.entry(topic, entry));
    }
    return Future.succeededFuture(removed);
  }

  @Override
  public synchronized Future<List<String>> list(String topic) {
    return Future.succeededFuture(new ArrayList<>(entries.getOrDefault(topic, Set.of())));
  }

  @Override
  public synchronized Future<List<Map.Entry<String, String>>> removeNode(String node) {
    List<Map.Entry<String, String>> removed = new ArrayList<>();
    for (Map.Entry<String, String> held : byNode.getOrDefault(node, Set.of())) {
      Set<String> topic = entries.get(held.getKey());
      if (topic != null && topic.remove(held.getValue())) {
        removed.add(held);
      }
    }
    byNode.remove(node);
    return Future.succeededFuture(removed);
  }
}
