package org.jwws.gateway;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * Where presence entries are kept: per topic, one entry (JSON text
 * {@code {"conn", "principal", "node"}}) per subscribed connection of every node. In memory on
 * a standalone node ({@link MemoryPresenceStore}); in the cluster on a clustered one, so that the
 * survivors remove a dead node's entries. Implementations are thread-safe and never block the caller.
 */
public interface PresenceStore {

  /** The id this node writes into its entries. */
  String nodeId();

  Future<Void> add(String topic, String node, String entry);

  /** True when this call removed the entry (so exactly one caller announces its leave). */
  Future<Boolean> remove(String topic, String node, String entry);

  Future<List<String>> list(String topic);

  /** Removes every entry of {@code node}; returns those this call removed, as topic to entry pairs. */
  Future<List<Map.Entry<String, String>>> removeNode(String node);
}
