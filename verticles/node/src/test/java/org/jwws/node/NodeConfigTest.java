package org.jwws.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.GatewayOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The JWGW_* variables reach the gateway options with their types, lists included.
 */
class NodeConfigTest {

  @Test
  void environmentVariablesOfEveryTypeReachTheOptions() {
    JsonObject config = NodeConfig.applyEnvironment(new JsonObject(), Map.of(
      "JWGW_PORT", "8081",
      "JWGW_REQUEST_TIMEOUT_MS", "5000",
      "JWGW_ALLOWED_ORIGINS", "https://a.example, https://b.example",
      "JWGW_DROP_OLDEST_TOPICS", "[\"prices.*\"]",
      "JWGW_ENABLED", "false",
      "JWGW_CLUSTER", "true",
      "PATH", "/usr/bin"));
    GatewayOptions options = new GatewayOptions(NodeConfig.gateway(config));
    assertEquals(8081, options.getPort());
    assertEquals(5000, options.getRequestTimeoutMs());
    assertEquals(new JsonArray().add("https://a.example").add("https://b.example"), new JsonArray(options.getAllowedOrigins()));
    assertEquals(new JsonArray().add("prices.*"), new JsonArray(options.getDropOldestTopics()));
    assertFalse(NodeConfig.gateway(config).getBoolean("enabled"));
    assertEquals(true, config.getBoolean("cluster"));
  }
}
