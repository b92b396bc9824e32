package org.jwws.node;

import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * A node started clustered on the packed defaults (conf/node.json and conf/cluster.xml as the
 * jar holds them; only the cluster name is the test's own and the gateway port free) listens
 * for Hazelcast and the event bus on loopback only: nobody on the network can join the cluster
 * or send to its event bus. The gateway's own port is the one meant for clients.
 */
class ClusterBindingTest {

  @TempDir
  Path emptyWorkDir;

  @Test
  void defaultClusteredNodeListensOnLoopbackOnlyForHazelcastAndTheEventBus() throws Exception {
    assumeTrue(ListeningSockets.available(), "no /proc/net/tcp on this machine: listening sockets cannot be read");
    Vertx configVertx = Vertx.vertx();
    JsonObject config;
    try {
      // an empty working directory: the packed defaults, as `java -jar` anywhere reads them.
      // Two gateway instances share one port: with port 0 Vert.x 5.1.6 would give the second a
      // random port of its own, one more listener here (Gateway deploys it on the first's port)
      config = await(NodeConfig.read(configVertx, NodeArgs.parse(new String[] {"--cluster", "--cluster-name", ClusterNodes.newClusterName(),
        "--port", "0", "--instances", "2"}), new ConfigStoreOptions().setType("json").setConfig(new JsonObject()), emptyWorkDir));
    } finally {
      await(configVertx.close());
    }
    List<ListeningSockets.Listener> before = ListeningSockets.ofThisProcess();
    Node node = await(Node.start(config));
    try {
      int gatewayPort = node.gateway().port();
      List<ListeningSockets.Listener> opened = ListeningSockets.ofThisProcess().stream()
        .filter(listener -> before.stream().noneMatch(old -> old.port == listener.port))
        .filter(listener -> listener.port != gatewayPort)
        .collect(Collectors.toList());
      assertTrue(opened.stream().anyMatch(listener -> listener.port >= 5701 && listener.port <= 5720),
        "Hazelcast's member port is among the node's listeners: " + opened);
      assertEquals(2, opened.size(), "Hazelcast and the event bus, nothing else: " + opened);
      for (ListeningSockets.Listener listener : opened) {
        assertTrue(listener.address.isLoopbackAddress(), "listens beyond loopback: " + listener + " of " + opened);
      }
    } finally {
      await(node.stop());
    }
  }
}
