package org.jwws.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.GatewayOptions;
import org.jwws.node.bridge.BridgeOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's options from a merged config: the defaults an empty one gives, and one error
 * naming the key for each kind of bad value.
 */
class NodeOptionsTest {

  private static String refused(JsonObject config) {
    return assertThrows(IllegalArgumentException.class, () -> new NodeOptions(config)).getMessage();
  }

  @Test
  void anEmptyConfigGivesTheDocumentedDefaults() {
    NodeOptions options = new NodeOptions(new JsonObject());
    assertFalse(options.isCluster());
    assertNull(options.getClusterConfig());
    assertNull(options.getClusterName());
    assertEquals("127.0.0.1", options.getClusterHost());
    assertEquals(0, options.getClusterPort());
    assertEquals(Runtime.getRuntime().availableProcessors(), options.getEventLoops());
    assertTrue(options.isMetrics());
    assertEquals(List.of(), options.getMetricsDisabled());
    assertNull(options.getEventBusTls());
    assertNull(options.getBridge(), "the bridge is off");
    assertTrue(options.isGatewayEnabled());
    assertEquals(new GatewayOptions().toJson(), options.getGateway().toJson());
    assertEquals(List.of(), options.getHandlers(), "no handlers: the examples are conf/node.json's");
    assertEquals(new NodeOptions().toJson(), options.toJson());
  }

  @Test
  void toJsonReadsBackAsTheSameOptions() {
    JsonObject config = new JsonObject()
      .put("cluster", true).put("clusterName", "prod").put("clusterPort", 5800).put("eventLoops", 3)
      .put("metricsDisabled", new JsonArray().add("eventbus"))
      .put("eventBusTls", new JsonObject().put("certPath", "c.pem").put("keyPath", "k.pem").put("trustCertPath", "t.pem"))
      .put("bridge", new JsonObject().put("port", 7001).put("commands", new JsonArray().add("add_*")))
      .put("gateway", new JsonObject().put("enabled", false).put("port", 8081).put("presence", new JsonArray().add("chat")))
      .put("handlers", new JsonArray().add(new JsonObject().put("class", "A").put("worker", false).put("instances", 2)));
    JsonObject json = new NodeOptions(config).toJson();
    assertEquals(json, new NodeOptions(json).toJson());
    assertEquals(3, json.getInteger("eventLoops"));
    assertEquals(7001, json.getJsonObject("bridge").getInteger("port"));
    assertEquals(new JsonArray().add("add_*"), json.getJsonObject("bridge").getJsonArray("commands"));
    assertEquals(false, json.getJsonObject("gateway").getBoolean("enabled"));
    assertEquals(new JsonObject().put("class", "A").put("worker", false).put("instances", 2).put("config", new JsonObject()),
      json.getJsonArray("handlers").getJsonObject(0));
  }

  @Test
  void nullIsTheDefaultAndZeroEventLoopsAreCores() {
    NodeOptions options = new NodeOptions(new JsonObject()
      .put("clusterHost", null).put("eventLoops", 0).put("bridge", null)
      .put("gateway", new JsonObject().put("port", null)));
    assertEquals(NodeOptions.DEFAULT_CLUSTER_HOST, options.getClusterHost());
    assertEquals(NodeOptions.DEFAULT_EVENT_LOOPS, options.getEventLoops());
    assertEquals(GatewayOptions.DEFAULT_PORT, options.getGateway().getPort());
  }

  @Test
  void aBridgeObjectTurnsTheBridgeOnUnlessItSaysEnabledFalse() {
    BridgeOptions bridge = new NodeOptions(new JsonObject().put("bridge", new JsonObject())).getBridge();
    assertEquals(BridgeOptions.DEFAULT_PORT, bridge.port());
    assertNull(new NodeOptions(new JsonObject().put("bridge", new JsonObject().put("enabled", false).put("port", -1))).getBridge(),
      "an object that is off is not read");
  }

  @Test
  void unknownKeysAreIgnored() {
    NodeOptions options = new NodeOptions(new JsonObject().put("clusterNmae", "typo")
      .put("gateway", new JsonObject().put("prot", 1)));
    assertNull(options.getClusterName());
    assertEquals(GatewayOptions.DEFAULT_PORT, options.getGateway().getPort());
  }

  @Test
  void aBadValueIsOneErrorNamingItsKey() {
    Map<JsonObject, String> cases = Map.ofEntries(
      Map.entry(new JsonObject().put("cluster", "yes"), "cluster must be true or false, not \"yes\""),
      Map.entry(new JsonObject().put("clusterPort", 70000), "clusterPort must be within [0, 65535]: 70000"),
      Map.entry(new JsonObject().put("clusterHost", ""), "clusterHost must not be empty"),
      Map.entry(new JsonObject().put("eventLoops", 1.5), "eventLoops must be a whole number, not 1.5"),
      Map.entry(new JsonObject().put("metricsDisabled", "eventbus"), "metricsDisabled must be a JSON array, not \"eventbus\""),
      Map.entry(new JsonObject().put("eventBusTls", new JsonObject().put("certPath", "c.pem").put("keyPath", "k.pem")),
        "eventBusTls.trustCertPath must be set"),
      Map.entry(new JsonObject().put("bridge", 7000), "bridge must be a JSON object, not 7000"),
      Map.entry(new JsonObject().put("bridge", new JsonObject().put("port", "7000")), "bridge.port must be a whole number, not \"7000\""),
      Map.entry(new JsonObject().put("gateway", new JsonObject().put("port", "80")), "gateway.port must be a whole number, not \"80\""),
      Map.entry(new JsonObject().put("gateway", new JsonObject().put("port", 70000)), "gateway.port must be within [0, 65535]: 70000"),
      Map.entry(new JsonObject().put("gateway", new JsonObject().put("enabled", "no")), "gateway.enabled must be true or false, not \"no\""),
      Map.entry(new JsonObject().put("handlers", new JsonArray().add("A")), "handlers[0] must be a JSON object, not \"A\""),
      Map.entry(new JsonObject().put("handlers", new JsonArray().add(new JsonObject().put("worker", true))), "handlers[0].class must be set"),
      Map.entry(new JsonObject().put("handlers", new JsonArray().add(new JsonObject().put("class", "A"))
        .add(new JsonObject().put("class", "B").put("instances", 0))), "handlers[1].instances must be within [1, 1024]: 0"));
    cases.forEach((config, message) -> assertEquals(message, refused(config), config.encode()));
    assertTrue(refused(new JsonObject().put("metricsDisabled", new JsonArray().add("bogus")))
      .startsWith("metricsDisabled: unknown category bogus, known: ["));
  }
}
