package org.jwws.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.jwws.gateway.TestClient.await;

class MalformedInputTest extends GatewayTestBase {

  @ParameterizedTest
  @ValueSource(strings = {
    "not json at all",
    "[1,2,3]",
    "\"a string\"",
    "42",
    "{}",
    "{\"mode\":\"chat\",\"action\":\"req\"}",
    "{\"mode\":7}",
    "{\"mode\":\"req_res\"}",
    "{\"mode\":\"req_res\",\"action\":\"res\"}",
    "{\"mode\":\"pub_sub\"}",
    "{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"web\",\"id\":{\"a\":1}}",
    "{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"web\",\"id\":true}",
    "{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"web\"",
  })
  void unreadableFramesGetTheOriginalFailureShape(String text) {
    TestClient client = client();
    client.sendText(text);
    JsonObject error = await(client.next());
    assertEquals("req_res", error.getString("mode"));
    assertEquals("res", error.getString("action"));
    assertEquals(400, error.getInteger("code"));
    assertEquals(new JsonArray(), error.getJsonArray("data"));
    assertFalse(error.getString("msg").isEmpty());
    assertStillServes(client);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"mode\":\"req_res\",\"action\":\"req\",\"id\":1}",
    "{\"mode\":\"req_res\",\"action\":\"req\",\"id\":1,\"command\":5}",
    "{\"mode\":\"req_res\",\"action\":\"req\",\"id\":1,\"command\":\"has space\"}",
    "{\"mode\":\"req_res\",\"action\":\"req\",\"id\":1,\"command\":\"\"}",
    "{\"mode\":\"req_res\",\"action\":\"req\",\"id\":1,\"command\":\"web\",\"args\":{}}",
    "{\"mode\":\"req_res\",\"action\":\"req\",\"id\":1,\"command\":\"web\",\"kwargs\":[]}",
    "{\"mode\":\"req_res\",\"action\":\"req\",\"id\":1,\"command\":\"web\",\"src\":[]}",
    "{\"mode\":\"req_res\",\"action\":\"cancel\"}",
  })
  void badRequestsGetA400ResponseWithTheirId(String text) {
    TestClient client = client();
    client.sendText(text);
    JsonObject error = await(client.next());
    assertEquals("res", error.getString("action"));
    assertEquals(400, error.getInteger("code"));
    if (new JsonObject(text).containsKey("id")) {
      assertEquals(1, error.getValue("id"));
    }
    assertStillServes(client);
  }

  @Test
  void jsonOverTheDepthAndNumberLimitsIs400NeverAStackOverflow() {
    TestClient client = client();
    client.sendText("[".repeat(5_000) + "]".repeat(5_000));
    JsonObject deep = await(client.next());
    assertEquals(400, deep.getInteger("code"));
    assertEquals("JSON over the limits (depth 32, numbers of 64 characters)", deep.getString("msg"));
    client.sendText("{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"echo\",\"kwargs\":{\"n\":" + "9".repeat(1_000) + "}}");
    assertEquals(400, await(client.next()).getInteger("code"));
    // 31 levels inside kwargs are fine
    client.sendText("{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"echo\",\"id\":1,\"kwargs\":"
      + "{\"a\":".repeat(29) + "1" + "}".repeat(29) + "}");
    assertEquals(200, await(client.next()).getInteger("code"));
    assertStillServes(client);
  }

  @Test
  void overlongIdIs400WithoutTheId() {
    TestClient client = client();
    client.send(TestClient.req("web", "x".repeat(EnvelopeReader.MAX_ID_LENGTH + 1), null));
    JsonObject error = await(client.next());
    assertEquals(400, error.getInteger("code"));
    assertFalse(error.containsKey("id"));
    assertStillServes(client);
  }

  /** Only integers are numeric ids: a double cannot hold every id exactly (1e400 is not even finite). */
  @ParameterizedTest
  @ValueSource(strings = {"1e400", "-1e400", "1.5", "1.0", "1e3", "0.1"})
  void nonIntegerNumericIdIs400WithoutTheId(String rawId) {
    TestClient client = client();
    client.sendText("{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"web\",\"id\":" + rawId + "}");
    JsonObject error = await(client.next());
    assertEquals("res", error.getString("action"));
    assertEquals(400, error.getInteger("code"));
    assertEquals("id must be a string of at most 200 characters or an integer", error.getString("msg"));
    assertFalse(error.containsKey("id"));
    assertStillServes(client);
  }

  @Test
  void overlongCommandNameIs400() {
    TestClient client = client();
    client.send(TestClient.req("a".repeat(201), 1, null));
    assertEquals(400, await(client.next()).getInteger("code"));
    client.send(TestClient.req("a".repeat(200), 2, null));
    assertEquals(404, await(client.next()).getInteger("code"), "200 characters is a valid name, just not served");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"mode\":\"pub_sub\",\"action\":\"sub\",\"id\":1}",
    "{\"mode\":\"pub_sub\",\"action\":\"sub\",\"id\":1,\"topic\":[]}",
    "{\"mode\":\"pub_sub\",\"action\":\"sub\",\"id\":1,\"topic\":7}",
    "{\"mode\":\"pub_sub\",\"action\":\"sub\",\"id\":1,\"topic\":[\"ok\",3]}",
    "{\"mode\":\"pub_sub\",\"action\":\"sub\",\"id\":1,\"topic\":\"bad/name\"}",
    "{\"mode\":\"pub_sub\",\"action\":\"unsub\",\"id\":1,\"topic\":{}}",
    "{\"mode\":\"pub_sub\",\"action\":\"pub\",\"id\":1,\"topic\":[\"a\",\"b\"]}",
    "{\"mode\":\"pub_sub\",\"action\":\"pub\",\"id\":1,\"topic\":\"a\",\"code\":\"200\"}",
    "{\"mode\":\"pub_sub\",\"action\":\"pub\",\"id\":1,\"topic\":\"a\",\"msg\":5}",
    "{\"mode\":\"pub_sub\",\"action\":\"pub\",\"id\":1}",
    "{\"mode\":\"pub_sub\",\"action\":\"req\",\"id\":1}",
    "{\"mode\":\"pub_sub\",\"action\":7,\"id\":1,\"topic\":{}}",
  })
  void badPubSubFramesGetA400Ack(String text) {
    TestClient client = client();
    client.sendText(text);
    JsonObject error = await(client.next());
    assertEquals("pub_sub", error.getString("mode"));
    assertEquals("ack", error.getString("action"));
    assertEquals(400, error.getInteger("code"));
    assertEquals(1, error.getValue("id"));
    assertStillServes(client);
  }

  @Test
  void unknownPubSubActionIsA400AckWithTheFramesTopicsAndId() {
    TestClient client = client();
    client.sendText("{\"mode\":\"pub_sub\",\"action\":\"replay\",\"id\":\"u1\",\"topic\":[\"chat.a\",\"chat.b\"]}");
    JsonObject error = await(client.next());
    assertEquals("ack", error.getString("action"));
    assertEquals(400, error.getInteger("code"));
    assertEquals("unknown action for mode pub_sub: replay", error.getString("msg"));
    assertEquals(new JsonArray().add("chat.a").add("chat.b"), error.getJsonArray("topic"));
    assertEquals("u1", error.getValue("id"));
    client.sendText("{\"mode\":\"pub_sub\",\"action\":\"replay\",\"topic\":\"bad/name\"}");
    JsonObject anonymous = await(client.next());
    assertEquals("ack", anonymous.getString("action"));
    assertEquals(new JsonArray(), anonymous.getJsonArray("topic"), "an invalid name is not echoed");
    assertFalse(anonymous.containsKey("id"));
    assertStillServes(client);
  }

  @Test
  void binaryFrameIs400() {
    TestClient client = client();
    client.sendFrame(WebSocketFrame.binaryFrame(Buffer.buffer("{\"mode\":\"req_res\"}"), true));
    assertEquals(400, await(client.next()).getInteger("code"));
    assertStillServes(client);
  }

  @Test
  void continuationWithoutAMessageIsAProtocolErrorClose() {
    TestClient client = client();
    client.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("{}"), true));
    assertEquals((short) 1002, await(client.closed()));
  }

  @Test
  void invalidUtf8Is400() {
    TestClient client = client();
    // a message whose middle fragment is not UTF-8 (0xC3 must be followed by a continuation byte)
    client.sendFrame(WebSocketFrame.textFrame("{\"a\":\"", false));
    client.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {(byte) 0xC3, (byte) 0x28}), false));
    client.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("\"}"), true));
    JsonObject error = await(client.next());
    assertEquals(400, error.getInteger("code"));
    assertEquals("text frame is not valid UTF-8", error.getString("msg"));
    assertStillServes(client);
  }

  @Test
  void fragmentedMessageIsAssembled() {
    TestClient client = client();
    String frame = TestClient.req("echo", "frag", new JsonObject().put("text", "片段")).encode();
    int third = frame.length() / 3;
    client.sendFrame(WebSocketFrame.textFrame(frame.substring(0, third), false));
    client.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(frame.substring(third, 2 * third)), false));
    client.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(frame.substring(2 * third)), true));
    JsonObject res = await(client.next());
    assertEquals("frag", res.getValue("id"));
    assertEquals("片段", res.getJsonObject("data").getJsonObject("kwargs").getString("text"));
  }

  @Test
  void frameOverTheLimitClosesWith1009AndOthersCarryOn() {
    TestClient bystander = client();
    await(bystander.subscribe("calm"));
    TestClient client = client();
    String big = TestClient.req("echo", 1, new JsonObject().put("pad", "x".repeat(GatewayOptions.DEFAULT_MAX_FRAME_SIZE))).encode();
    client.sendText(big);
    assertEquals((short) 1009, await(client.closed()));
    assertStillServes(bystander);
  }

  @Test
  void fragmentedMessageOverTheLimitClosesWith1009() {
    TestClient client = client();
    String chunk = "x".repeat(GatewayOptions.DEFAULT_MAX_FRAME_SIZE / 2);
    client.sendFrame(WebSocketFrame.textFrame("{\"pad\":\"" + chunk, false));
    client.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(chunk), false));
    client.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(chunk + "\"}"), true));
    assertEquals((short) 1009, await(client.closed()));
    waitUntil("the connection is gone", () -> gateway.stats().connections() == 0);
  }

  @Test
  void nonUpgradeRequestOnTheWebSocketPathIs400() {
    io.vertx.core.http.HttpClient http = vertx.createHttpClient();
    int status = await(http.request(io.vertx.core.http.HttpMethod.GET, gateway.port(), "127.0.0.1", "/ws")
      .compose(req -> req.send()).map(io.vertx.core.http.HttpClientResponse::statusCode));
    assertEquals(400, status);
  }

  private static void assertStillServes(TestClient client) {
    JsonObject res = await(client.request("echo", new JsonObject().put("still", "here")));
    assertEquals(200, res.getInteger("code"));
  }
}
