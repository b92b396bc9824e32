package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.jwws.shared.Backend;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.pub;

/**
 * {@code /metrics} (Prometheus text) and {@code /stats} (the console's JSON) after real traffic:
 * frames by mode and action, requests by command and code with latency buckets, publications
 * and deliveries by topic, closes by code, and the bound on labels taken from client names.
 */
class MetricsTest extends GatewayTestBase {

  private static final int MAX_LABELS = 3;

  @Override
  protected GatewayOptions options() {
    return super.options().setMetricsMaxLabels(MAX_LABELS);
  }

  @Test
  void framesRequestsPublicationsAndClosesAreCountedAsClientsSawThem() {
    TestClient reader = client();
    TestClient writer = client();
    assertEquals(200, await(reader.subscribe("news")).getInteger("code"));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, await(writer.request("echo", new JsonObject().put("i", i))).getInteger("code"));
    }
    assertEquals(404, await(writer.request("made_up", null)).getInteger("code"));
    Future<JsonObject> delivered = reader.nextMatching(frame -> "pub".equals(frame.getString("action")));
    writer.send(pub("news", "hello").put("id", "p1"));
    await(delivered);
    Future<JsonObject> broadcast = reader.nextMatching(frame -> "notice".equals(frame.getString("msg")));
    Backend.create(vertx, "ops").broadcast(new JsonObject().put("mode", "pub_sub").put("action", "pub").put("msg", "notice"));
    await(broadcast);
    writer.sendText("not json");
    assertEquals(400, await(writer.nextMatching(frame -> Integer.valueOf(400).equals(frame.getInteger("code")))).getInteger("code"));
    await(writer.close());
    waitUntil("the writer's close is seen", () -> gateway.stats().connections() == 1);

    HttpClient http = vertx.createHttpClient();
    Map<String, Double> metrics = NodeHttp.metrics(http, gateway.port());
    assertEquals(4.0, metrics.get("jw_frames_in_total{action=\"req\",mode=\"req_res\"}"));
    assertEquals(1.0, metrics.get("jw_frames_in_total{action=\"sub\",mode=\"pub_sub\"}"));
    assertEquals(1.0, metrics.get("jw_frames_in_total{action=\"pub\",mode=\"pub_sub\"}"));
    assertEquals(1.0, metrics.get("jw_frames_in_total{action=\"_invalid\",mode=\"_invalid\"}"));
    // 3 echoes, the 404 and the 400; the sub ack and the pub ack; one publication; the
    // broadcast to both clients is a push
    assertEquals(5.0, metrics.get("jw_frames_out_total{action=\"res\",mode=\"req_res\"}"));
    assertEquals(2.0, metrics.get("jw_frames_out_total{action=\"ack\",mode=\"pub_sub\"}"));
    assertEquals(1.0, metrics.get("jw_frames_out_total{action=\"pub\",mode=\"pub_sub\"}"));
    assertEquals(2.0, metrics.get("jw_frames_out_total{action=\"push\",mode=\"push\"}"));
    assertEquals(3.0, metrics.get("jw_requests_seconds_count{code=\"200\",command=\"echo\"}"));
    assertEquals(3.0, metrics.get("jw_requests_seconds_bucket{code=\"200\",command=\"echo\",le=\"+Inf\"}"));
    assertNotNull(metrics.get("jw_requests_seconds_bucket{code=\"200\",command=\"echo\",le=\"0.025\"}"), "latency buckets");
    assertEquals(1.0, metrics.get("jw_requests_seconds_count{code=\"404\",command=\"_unknown\"}"));
    assertEquals(1.0, metrics.get("jw_publications_total{topic=\"news\"}"));
    assertEquals(1.0, metrics.get("jw_deliveries_total{topic=\"news\"}"));
    assertEquals(1.0, metrics.get("jw_connections_closed_total{code=\"1000\"}"));
    assertEquals(1.0, metrics.get("jw_connections"));
    assertEquals(1.0, metrics.get("jw_subscriptions"));

    JsonObject node = NodeHttp.stats(http, gateway.port()).getJsonObject("node");
    assertEquals(1, node.getJsonObject("topics").getInteger("news"), node.encode());
    JsonObject echo = node.getJsonObject("commands").getJsonObject("echo");
    assertEquals(3, echo.getInteger("requests"));
    assertEquals(0, echo.getInteger("errors"));
    assertNotNull(echo.getDouble("p99Ms"), echo.encode());
    // the console turns two reports into rates and an interval's p99
    JsonArray buckets = echo.getJsonArray("buckets");
    assertEquals(node.getJsonArray("latencyBucketsMs").size(), buckets.size(), node.encode());
    assertEquals(3L, buckets.getLong(buckets.size() - 1), "every echo is at or below the last bound");
    assertEquals(1L, node.getJsonObject("stats").getLong("publicationsDelivered"));
    JsonArray errors = node.getJsonArray("errors");
    assertEquals("frame", errors.getJsonObject(0).getString("kind"), "newest first: " + errors.encode());
    assertEquals(400, errors.getJsonObject(0).getInteger("code"));
    assertEquals("made_up", errors.getJsonObject(1).getString("name"));
    assertEquals(404, errors.getJsonObject(1).getInteger("code"));
    assertFalse(errors.encode().contains("hello"), "no payloads in the error list");
  }

  @Test
  void alternatingJunkFramesCountUpOnTheirEntriesInsteadOfFlushingTheErrorList() {
    TestClient client = client();
    assertEquals(404, await(client.request("made_up", null)).getInteger("code"));
    int rounds = 100;
    for (int i = 0; i < rounds; i++) {
      client.sendText("not json");
      client.sendText("[1]");
    }
    // answered in order: once the echo is back, every junk frame was answered
    assertEquals(200, await(client.request("echo", null)).getInteger("code"));

    JsonArray errors = NodeHttp.stats(vertx.createHttpClient(), gateway.port()).getJsonObject("node").getJsonArray("errors");
    assertEquals(3, errors.size(), errors.encode());
    assertEquals("not a JSON object", errors.getJsonObject(0).getString("msg"), "newest first: " + errors.encode());
    assertEquals(rounds, errors.getJsonObject(0).getInteger("count"));
    assertEquals("not JSON", errors.getJsonObject(1).getString("msg"));
    assertEquals(rounds, errors.getJsonObject(1).getInteger("count"));
    assertEquals("made_up", errors.getJsonObject(2).getString("name"), "the earlier error is still listed");
  }

  @Test
  void namesChosenByClientsCannotGrowTheMetrics() {
    TestClient client = client();
    // subscribing alone takes no label: only topics that see a publication do
    for (int i = 0; i < 10; i++) {
      assertEquals(200, await(client.subscribe("idle" + i)).getInteger("code"));
    }
    int topics = 10;
    for (int i = 0; i < topics; i++) {
      assertEquals(200, await(client.subscribe("t" + i)).getInteger("code"));
      Future<JsonObject> delivered = client.nextMatching(frame -> "pub".equals(frame.getString("action")));
      client.send(pub("t" + i, i));
      await(delivered);
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(404, await(client.request("made_up_" + i, null)).getInteger("code"));
    }
    // a real command still gets its own label: made-up names did not use the budget up
    assertEquals(200, await(client.request("echo", null)).getInteger("code"));

    Map<String, Double> metrics = NodeHttp.metrics(vertx.createHttpClient(), gateway.port());
    Map<String, Double> publications = new HashMap<>();
    metrics.forEach((series, value) -> {
      if (series.startsWith("jw_publications_total{")) {
        publications.put(series, value);
      }
    });
    assertEquals(MAX_LABELS + 1, publications.size(), "three topics by name and _other: " + publications);
    assertEquals(topics, publications.values().stream().mapToDouble(Double::doubleValue).sum(), "nothing lost in _other");
    assertEquals(topics - MAX_LABELS, metrics.get("jw_publications_total{topic=\"_other\"}"));
    assertEquals(20.0, metrics.get("jw_requests_seconds_count{code=\"404\",command=\"_unknown\"}"));
    assertTrue(metrics.keySet().stream().noneMatch(series -> series.contains("made_up")), "no label per made-up command");
    assertEquals(1.0, metrics.get("jw_requests_seconds_count{code=\"200\",command=\"echo\"}"));
  }
}
