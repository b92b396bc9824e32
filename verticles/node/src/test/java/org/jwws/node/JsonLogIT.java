package org.jwws.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.TestClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.GatewayTestBase.waitUntil;
import static org.jwws.gateway.TestClient.await;

/**
 * The fat jar with JWGW_LOG_FORMAT=json, on the logback.xml packed in it: every line it writes
 * is one JSON object, and the connection lines carry their key/values.
 */
class JsonLogIT {

  @Test
  void theJarWritesJsonLinesWhenAsked() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (NodeProcess node = NodeProcess.start(Map.of(Logging.FORMAT, "json"), null,
      "--host", "127.0.0.1", "--port", "0", "--no-handlers")) {
      int port = node.awaitReady();
      TestClient client = await(TestClient.connect(vertx, port));
      await(client.close());
      waitUntil("the close is logged", () -> node.output().contains("\"code\":1000"));
      node.terminate();

      List<JsonObject> lines = node.output().lines().map(JsonObject::new).toList();
      assertTrue(lines.stream().anyMatch(line -> line.getString("logger").equals(Main.class.getName())
        && line.getString("message").startsWith("node ready on ws://127.0.0.1:" + port)), node.output());
      JsonObject close = lines.stream().filter(line -> line.getString("message").startsWith("close ")).findFirst().orElseThrow();
      assertEquals("org.jwws.gateway.connections", close.getString("logger"));
      assertEquals("INFO", close.getString("level"));
      assertTrue(close.getString("conn").startsWith("jw.conn."), close.encode());
      assertEquals(1000, close.getInteger("code"));
      assertTrue(close.containsKey("timestamp") && close.containsKey("thread") && close.containsKey("durationMs"), close.encode());
    } finally {
      await(vertx.close());
    }
  }
}
