package org.jwws.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Configs for clustered test nodes: loopback only, a free port, a cluster name of the test's own
 * so parallel or leftover clusters never join it.
 */
final class ClusterNodes {

  private ClusterNodes() {
  }

  static String newClusterName() {
    return "jw-test-" + UUID.randomUUID();
  }

  static JsonObject gatewayNode(String clusterName, JsonObject... handlers) {
    return node(clusterName, true, handlers);
  }

  /** A gateway node whose gateway config has {@code gateway}'s keys over the defaults here. */
  static JsonObject gatewayNodeWith(String clusterName, JsonObject gateway, JsonObject... handlers) {
    JsonObject node = node(clusterName, true, handlers);
    node.getJsonObject("gateway").mergeIn(gateway);
    return node;
  }

  static JsonObject handlerNode(String clusterName, JsonObject... handlers) {
    return node(clusterName, false, handlers);
  }

  static JsonObject handler(Class<?> verticle, String src) {
    return new JsonObject().put("class", verticle.getName()).put("worker", false)
      .put("config", new JsonObject().put("src", src));
  }

  private static JsonObject node(String clusterName, boolean gateway, JsonObject... handlers) {
    return new JsonObject()
      .put("cluster", true)
      .put("clusterName", clusterName)
      .put("clusterHost", "127.0.0.1")
      .put("gateway", new JsonObject()
        .put("enabled", gateway)
        .put("host", "127.0.0.1")
        .put("port", 0)
        .put("instances", 1)
        .put("publishRate", 1_000_000)
        .put("publishBurst", 1_000_000)
        .put("shutdownGraceMs", 2_000))
      .put("handlers", new JsonArray(java.util.List.of((Object[]) handlers)));
  }
}
