package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Backend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.req;

class RequestResponseTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setCommandTimeoutMs("never", 300);
  }

  @BeforeEach
  void deployTestCommands() {
    await(vertx.deployVerticle(new TestCommands()));
  }

  @Test
  void seedHeartbeatFrameIsAnsweredInTheOriginalShape() {
    TestClient client = client();
    client.sendText("{\"mode\":\"req_res\",\"action\":\"req\",\"src\":\"front\",\"command\":\"web\",\"args\":[1,2],\"kwargs\":{\"name\":\"jw\",\"id\":1}}");
    JsonObject res = await(client.next());
    assertEquals("req_res", res.getString("mode"));
    assertEquals("res", res.getString("action"));
    assertEquals(200, res.getInteger("code"));
    assertEquals("success", res.getString("msg"));
    assertEquals("web", res.getString("command"));
    assertEquals(new JsonArray(), res.getJsonArray("data"));
    assertFalse(res.containsKey("id"), "no id was sent, none is echoed");
    assertFalse(res.containsKey("more"));
  }

  @Test
  void echoReturnsArgsAndKwargsAndEchoesIdsOfEitherType() {
    TestClient client = client();
    client.send(req("echo", 7, new JsonObject().put("name", "jw")).put("args", new JsonArray().add(1).add("二")));
    JsonObject numeric = await(client.next());
    assertEquals(7, numeric.getValue("id"));
    assertEquals(new JsonObject().put("args", new JsonArray().add(1).add("二")).put("kwargs", new JsonObject().put("name", "jw")),
      numeric.getJsonObject("data"));
    assertEquals("echo", numeric.getString("command"));

    client.send(req("echo", "abc", null).putNull("args").putNull("kwargs"));
    JsonObject text = await(client.next());
    assertEquals("abc", text.getValue("id"));
    assertEquals(new JsonObject().put("args", new JsonArray()).put("kwargs", new JsonObject()), text.getJsonObject("data"));
  }

  /** 2^53 + 1 and 2^53 are one double: the ids must still be two requests, each answered with its own id. */
  private static final String ID_2_53_PLUS_1 = "9007199254740993";
  private static final String ID_2_53 = "9007199254740992";
  private static final String ID_OVER_64_BITS = "123456789012345678901234567890";

  private static String rawRequest(String command, String rawId, String kwargs) {
    return "{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"" + command + "\",\"id\":" + rawId + ",\"kwargs\":" + kwargs + "}";
  }

  @Test
  void integerIdsAreComparedAndEchoedExactlyBeyondDoublePrecision() {
    TestClient client = client().keepTexts();
    List<String> ids = List.of(ID_2_53_PLUS_1, ID_2_53, ID_OVER_64_BITS);
    for (String id : ids) {
      client.sendText(rawRequest("sleep", id, "{\"ms\":200}"));
    }
    for (String id : ids) {
      JsonObject res = await(client.finalResponse(numericId(id)));
      assertEquals(200, res.getInteger("code"), id);
    }
    List<String> texts = client.texts();
    for (String id : ids) {
      assertTrue(texts.stream().anyMatch(text -> text.contains("\"id\":" + id + "}") || text.contains("\"id\":" + id + ",")),
        "id " + id + " on the wire exactly as sent: " + texts);
    }
  }

  @Test
  void aHandlerReusingItsDataObjectCannotChangeWhatWasSent() {
    TestClient client = client();
    client.send(req("reuse", "u", null));
    JsonObject progress = await(client.nextMatching(f -> "u".equals(f.getValue("id")) && f.getBoolean("more", false)));
    assertEquals(new JsonObject().put("step", 1), progress.getJsonObject("data"));
    JsonObject answer = await(client.finalResponse("u"));
    assertEquals(new JsonObject().put("step", 2), answer.getJsonObject("data"));
  }

  @Test
  void cancelFindsTheExactIntegerId() {
    TestClient client = client();
    client.sendText(rawRequest("sleep", ID_2_53_PLUS_1, "{\"ms\":60000}"));
    client.sendText(rawRequest("sleep", ID_2_53, "{\"ms\":60000}"));
    waitUntil("two open requests", () -> gateway.stats().openRequests() == 2);
    client.sendText("{\"mode\":\"req_res\",\"action\":\"cancel\",\"id\":" + ID_2_53 + "}");
    assertEquals(499, await(client.finalResponse(numericId(ID_2_53))).getInteger("code"));
    // the cancelled request's slot is freed once its handler let go of it; the other stays open
    waitUntil("one request open", () -> gateway.stats().openRequests() == 1);
    client.sendText("{\"mode\":\"req_res\",\"action\":\"cancel\",\"id\":" + ID_2_53_PLUS_1 + "}");
    assertEquals(499, await(client.finalResponse(numericId(ID_2_53_PLUS_1))).getInteger("code"));
  }

  /** The id as the test client's JSON parser reads it back: a Long, or a BigInteger past 64 bits. */
  private static Object numericId(String id) {
    BigInteger value = new BigInteger(id);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  @Test
  void unknownCommandIs404() {
    JsonObject res = await(client().request("no_such_command", null));
    assertEquals(404, res.getInteger("code"));
    assertEquals("no_such_command", res.getString("command"));
  }

  @Test
  void handlerChosenCodeAndMessageReachTheClient() {
    JsonObject res = await(client().request("fail_with", new JsonObject().put("code", 404).put("msg", "没查到")));
    assertEquals(404, res.getInteger("code"));
    assertEquals("没查到", res.getString("msg"));
    assertEquals(new JsonArray(), res.getJsonArray("data"));
    assertEquals("test", res.getString("src"));
  }

  @Test
  void failureOfAPlainConsumerKeepsItsCode() {
    await(vertx.eventBus().consumer("cmd.teapot", msg -> msg.fail(418, "I'm a teapot")).completion());
    JsonObject res = await(client().request("teapot", null));
    assertEquals(418, res.getInteger("code"));
    assertEquals("I'm a teapot", res.getString("msg"));
  }

  @Test
  void handlerExceptionIs500() {
    JsonObject res = await(client().request("crash", null));
    assertEquals(500, res.getInteger("code"));
  }

  @Test
  void dataThatIsNoJsonValueIs500AndTheConnectionGoesOn() {
    TestClient client = client();
    for (boolean nested : new boolean[] {false, true}) {
      JsonObject res = await(client.request("bad_data", new JsonObject().put("nested", nested)));
      assertEquals(500, res.getInteger("code"), res.encode());
      assertEquals("handler failed", res.getString("msg"));
      assertEquals(new JsonArray(), res.getJsonArray("data"));
    }
    assertEquals(200, await(client.request("echo", null)).getInteger("code"));
  }

  @Test
  void silentHandlerTimesOutWith504AndIsTold() {
    Promise<JsonObject> ended = Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer(TestCommands.ENDED, msg -> ended.tryComplete(msg.body())).completion());
    JsonObject res = await(client().request("never", null));
    assertEquals(504, res.getInteger("code"));
    assertEquals("TIMED_OUT", await(ended.future()).getString("reason"));
  }

  @Test
  void duplicateIdWithAnotherCommandIs409() {
    TestClient client = client();
    client.send(req("sleep", "x", new JsonObject().put("ms", 5_000)));
    client.send(req("echo", "x", null));
    JsonObject conflict = await(client.next());
    assertEquals(409, conflict.getInteger("code"));
    assertEquals("gateway", conflict.getString("src"));
    assertEquals("echo", conflict.getString("command"));
    assertEquals("x", conflict.getValue("id"));
  }

  @Test
  void slowRequestDoesNotHoldUpAFastOneOnTheSameConnection() {
    TestClient client = client();
    client.send(req("sleep", "slow", new JsonObject().put("ms", 1_000)));
    client.send(req("echo", "fast", null));
    assertEquals("fast", await(client.next()).getValue("id"));
    JsonObject slow = await(client.next());
    assertEquals("slow", slow.getValue("id"));
    assertEquals(200, slow.getInteger("code"));
  }

  @Test
  void blockingHandlerStallsNobodyElse() {
    TestClient blocker = client();
    blocker.send(req("block", "b", new JsonObject().put("ms", 2_000)));
    List<TestClient> others = List.of(client(), client(), client(), client());
    List<Future<JsonObject>> echoes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      echoes.add(others.get(i % others.size()).request("echo", new JsonObject().put("i", i)));
    }
    await(Future.all(echoes));
    assertTrue(blocker.pending().isEmpty(), "all 100 echoes were answered while block still held its thread");
    echoes.forEach(echo -> assertEquals(200, echo.result().getInteger("code")));
    assertEquals(200, await(blocker.finalResponse("b")).getInteger("code"));
  }

  @Test
  void progressStreamsIntermediateResponsesThenTheFinalOne() {
    // four connections, so that some share the handler's event loop and some do not; the last
    // progress and the final answer are given in the same timer callback
    for (int connection = 0; connection < 4; connection++) {
      TestClient client = client();
      client.send(req("progress", "p", new JsonObject().put("steps", 4).put("interval_ms", 5)));
      int last = 0;
      for (int step = 1; step <= 4; step++) {
        JsonObject more = await(client.next());
        assertEquals(true, more.getBoolean("more"), more.encode());
        assertEquals("p", more.getValue("id"));
        assertEquals("progress", more.getString("command"));
        int progress = more.getJsonObject("data").getInteger("progress");
        assertTrue(progress > last, "progress rises");
        last = progress;
      }
      assertEquals(100, last);
      JsonObject done = await(client.next());
      assertFalse(done.containsKey("more"));
      assertEquals(200, done.getInteger("code"));
    }
  }

  @Test
  void dialogueDeliversEveryRoundToTheSameInvocation() {
    TestClient client = client();
    client.send(req("dialogue", 1, new JsonObject().put("say", "hello")));
    JsonObject first = await(client.next());
    assertEquals(true, first.getBoolean("more"));
    assertEquals(0, first.getJsonObject("data").getInteger("round"));
    client.send(req("dialogue", 1, new JsonObject().put("say", "again")));
    JsonObject second = await(client.next());
    assertEquals(1, second.getJsonObject("data").getInteger("round"));
    assertEquals("again", second.getJsonObject("data").getJsonObject("kwargs").getString("say"));
    client.send(req("dialogue", 1, new JsonObject().put("done", true)));
    JsonObject last = await(client.next());
    assertEquals(2, last.getJsonObject("data").getInteger("round"));
    assertFalse(last.containsKey("more"));
    assertEquals(200, last.getInteger("code"));
    // the id is free again: a new dialogue starts at round 0
    client.send(req("dialogue", 1, null));
    assertEquals(0, await(client.next()).getJsonObject("data").getInteger("round"));
  }

  @Test
  void cancelAnswers499AndTellsTheHandler() {
    Promise<JsonObject> ended = Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer(TestCommands.ENDED, msg -> ended.tryComplete(msg.body())).completion());
    TestClient client = client();
    client.send(req("stream", "n", null));
    // its first intermediate response: the handler attached, so it is told by its control address
    await(client.nextMatching(f -> "n".equals(f.getValue("id"))));
    client.send(new JsonObject().put("mode", "req_res").put("action", "cancel").put("id", "n"));
    JsonObject res = await(client.finalResponse("n"));
    assertEquals(499, res.getInteger("code"));
    assertEquals("stream", res.getString("command"));
    assertEquals("n", res.getValue("id"));
    assertEquals("CANCELLED", await(ended.future()).getString("reason"));
    waitUntil("the handler confirmed: the slot is free", () -> gateway.stats().openRequests() == 0);
  }

  @Test
  void cancelOvertakingTheRequestAnswers499AndFreesTheSlotWhetherTheHandlerStartedOrNot() {
    TestClient client = client();
    for (int i = 0; i < 20; i++) {
      // (hang: 30 s timeout) the handler attaches when it sets its end handler and is refused, or never
      // starts when the cancel notice came first: either way it frees the slot, not the timeout
      client.send(req("hang", i, null));
      client.send(new JsonObject().put("mode", "req_res").put("action", "cancel").put("id", i));
      assertEquals(499, await(client.finalResponse(i)).getInteger("code"));
    }
    waitUntil("every slot is free", () -> gateway.stats().openRequests() == 0);
  }

  @Test
  void cancelOfAnUnknownIdIs404() {
    TestClient client = client();
    client.send(new JsonObject().put("mode", "req_res").put("action", "cancel").put("id", "ghost"));
    JsonObject res = await(client.next());
    assertEquals(404, res.getInteger("code"));
    assertEquals("ghost", res.getValue("id"));
  }

  @Test
  void handlerIsToldWhenTheClientGoes() {
    Promise<JsonObject> ended = Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer(TestCommands.ENDED, msg -> ended.tryComplete(msg.body())).completion());
    TestClient client = client();
    client.send(req("hang", "gone", null));
    // a round trip on the same connection proves the request has reached the handler
    await(client.request("echo", null));
    waitUntil("the request is open", () -> gateway.stats().openRequests() == 1);
    await(client.close());
    assertEquals("CLIENT_GONE", await(ended.future()).getString("reason"));
    waitUntil("state is cleaned", () -> gateway.stats().openRequests() == 0 && gateway.stats().connections() == 0);
  }

  @Test
  void openRequestLimitIs429() {
    TestClient client = client();
    int limit = GatewayOptions.DEFAULT_MAX_OPEN_REQUESTS;
    for (int i = 0; i < limit; i++) {
      client.send(req("sleep", i, new JsonObject().put("ms", 10_000)));
    }
    client.send(req("echo", "over", null));
    JsonObject res = await(client.finalResponse("over"));
    assertEquals(429, res.getInteger("code"));
  }

  @Test
  void backendPushesToOneConnectionAndBroadcastsToAll() {
    TestClient target = client();
    TestClient other = client();
    String address = await(target.request("whoami", null)).getJsonObject("data").getString("connection");
    // the client's handshake may complete before the server put the connection in the
    // broadcast audience: a request answered shows it did (same task on the server)
    assertEquals(200, await(other.request("echo", null)).getInteger("code"));
    Backend backend = Backend.create(vertx, "backend");
    backend.push(address, new JsonObject().put("mode", "req_res").put("action", "res").put("code", 200).put("msg", "just you"));
    assertEquals("just you", await(target.next()).getString("msg"));
    backend.broadcast(new JsonObject().put("mode", "pub_sub").put("action", "pub").put("topic", "news").put("msg", "everyone"));
    assertEquals("everyone", await(target.next()).getString("msg"));
    assertEquals("everyone", await(other.next()).getString("msg"));
    assertTrue(other.pending().isEmpty(), "the push reached only its target");
  }

  @Test
  void requestMessageCarriesTheEnvelopeAndTheConnection() {
    Promise<io.vertx.core.eventbus.Message<JsonObject>> seen = Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer("cmd.inspect", msg -> {
      seen.tryComplete(msg);
      msg.reply(new JsonObject().put("code", 7).put("ok", true));
    }).completion());
    TestClient client = client();
    client.send(req("inspect", "i", new JsonObject().put("k", 1)).put("src", "front"));
    JsonObject res = await(client.next());
    assertEquals(200, res.getInteger("code"));
    assertEquals(new JsonObject().put("code", 7).put("ok", true), res.getJsonObject("data"),
      "a plain consumer's JSON reply is data, even with a code field");
    io.vertx.core.eventbus.Message<JsonObject> msg = await(seen.future());
    assertEquals("front", msg.body().getString("src"));
    assertEquals("inspect", msg.body().getString("command"));
    assertEquals(new JsonArray(), msg.body().getJsonArray("args"));
    assertTrue(msg.headers().get("jw-conn").startsWith("jw.conn."));
    assertNull(msg.headers().get("jw-principal"));
  }
}
