package org.jwws.node;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.NodeHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * What a standalone node's {@code /metrics} holds for the config keys {@code metrics} and
 * {@code metricsDisabled}: the gateway's own series always, Vert.x's and the JVM's as asked.
 */
class NodeMetricsTest {

  private Vertx client;

  @BeforeEach
  void startClient() {
    client = Vertx.vertx();
  }

  @AfterEach
  void stopClient() {
    await(client.close());
  }

  private static JsonObject config(JsonObject extra) {
    return new JsonObject()
      .put("gateway", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1))
      .put("handlers", new JsonArray())
      .mergeIn(extra);
  }

  private Map<String, Double> metricsOf(JsonObject extra) {
    Node node = await(Node.start(config(extra)));
    try {
      // HTTP meters appear once a request ended: the first scrape is that request
      HttpClient http = client.createHttpClient();
      NodeHttp.metrics(http, node.gateway().port());
      return NodeHttp.metrics(http, node.gateway().port());
    } finally {
      await(node.stop());
    }
  }

  private static boolean has(Map<String, Double> metrics, String prefix) {
    return metrics.keySet().stream().anyMatch(series -> series.startsWith(prefix));
  }

  @Test
  void vertxEventBusHttpAndJvmMetricsByDefault() {
    Map<String, Double> metrics = metricsOf(new JsonObject());
    assertTrue(has(metrics, "jw_connections"), "the gateway's own");
    assertTrue(has(metrics, "vertx_eventbus_"), "event bus");
    assertTrue(has(metrics, "vertx_http_server_"), "HTTP server");
    assertTrue(has(metrics, "jvm_memory_used_bytes"), "JVM");
  }

  @Test
  void madeUpHttpMethodsShareOneLabel() {
    Node node = await(Node.start(config(new JsonObject())));
    try {
      HttpClient http = client.createHttpClient();
      for (String method : List.of("FOOA", "FOOB", "FOOC")) {
        await(http.request(HttpMethod.valueOf(method), node.gateway().port(), "127.0.0.1", "/x").compose(request -> request.send()));
      }
      Map<String, Double> metrics = NodeHttp.metrics(http, node.gateway().port());
      assertTrue(metrics.keySet().stream().noneMatch(series -> series.contains("FOO")), "no label per made-up method");
      assertEquals(3.0, metrics.get("vertx_http_server_requests_total{code=\"405\",method=\"other\"}"), metrics.keySet().toString());
    } finally {
      await(node.stop());
    }
  }

  @Test
  void anUnknownCategoryStopsTheStart() {
    Throwable refused = assertThrows(Throwable.class,
      () -> await(Node.start(config(new JsonObject().put("metricsDisabled", new JsonArray().add("bogus"))))));
    assertTrue(String.valueOf(refused.getMessage()).contains("unknown category bogus"), String.valueOf(refused.getMessage()));
  }

  @Test
  void disabledCategoriesAreLeftOut() {
    Map<String, Double> metrics = metricsOf(new JsonObject().put("metricsDisabled", new JsonArray().add("eventbus")));
    assertFalse(has(metrics, "vertx_eventbus_"), "event bus left out");
    assertTrue(has(metrics, "vertx_http_server_"), "the rest stays");
    assertTrue(has(metrics, "jw_requests_open"));
  }

  @Test
  void metricsOffLeavesTheGatewaysOwnAlone() {
    Map<String, Double> metrics = metricsOf(new JsonObject().put("metrics", false));
    assertFalse(has(metrics, "vertx_"), "no Vert.x metrics");
    assertFalse(has(metrics, "jvm_"), "no JVM metrics");
    assertTrue(has(metrics, "jw_frames_in_total"), "the gateway's own series stay");
  }
}
