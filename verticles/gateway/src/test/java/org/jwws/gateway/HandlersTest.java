package org.jwws.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.handlers.FetchCommand;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.req;

/**
 * The example handlers and the handler API's bookkeeping, seen through real clients.
 */
class HandlersTest extends GatewayTestBase {

  @Test
  void fetchDoesRealNonBlockingHttpOnTheConfiguredServiceOnly() {
    HttpServer service = await(vertx.createHttpServer()
      .requestHandler(request -> request.response().end("hello from " + request.path()))
      .listen(0, "127.0.0.1"));
    await(vertx.deployVerticle(new FetchCommand(), new DeploymentOptions()
      .setConfig(new JsonObject().put("baseUrl", "http://127.0.0.1:" + service.actualPort()))));
    TestClient client = client();
    JsonObject res = await(client.request("fetch", new JsonObject().put("path", "/greeting")));
    assertEquals(200, res.getInteger("code"));
    assertEquals(new JsonObject().put("status", 200).put("body", "hello from /greeting"), res.getJsonObject("data"));
    assertEquals(400, await(client.request("fetch", new JsonObject().put("path", "//evil.example/x/../y"))).getInteger("code"));
    assertBadRequest("kwarg \"path\" must be a string", await(client.request("fetch", new JsonObject().put("path", 42))));
    await(service.close());
    assertEquals(503, await(client.request("fetch", new JsonObject().put("path", "/"))).getInteger("code"));
  }

  @Test
  void fetchWithoutABaseUrlCallsThisNodesGatewayOnItsRealPort() {
    await(vertx.deployVerticle(new FetchCommand()));
    JsonObject res = await(client().request("fetch", new JsonObject().put("path", "/stats")));
    assertEquals(200, res.getInteger("code"), res.encode());
    assertEquals(200, res.getJsonObject("data").getInteger("status"));
    JsonObject stats = new JsonObject(res.getJsonObject("data").getString("body"));
    assertEquals(1, stats.getJsonObject("node").getJsonObject("stats").getInteger("connections"), "the stats of this very gateway, the fetching client on it");
  }

  @Test
  void badKwargsOfBuiltinsAre400NamingTheArgument() {
    TestClient client = client();
    assertBadRequest("kwarg \"ms\" must be an integer", await(client.request("sleep", new JsonObject().put("ms", "soon"))));
    assertBadRequest("kwarg \"ms\" must be within [0, 3600000]", await(client.request("sleep", new JsonObject().put("ms", -1))));
    assertBadRequest("kwarg \"steps\" must be within [1, 10000]", await(client.request("progress", new JsonObject().put("steps", 0))));
    assertBadRequest("kwarg \"interval_ms\" must be an integer",
      await(client.request("progress", new JsonObject().put("interval_ms", new JsonArray()))));
    assertBadRequest("kwarg \"ms\" must be an integer", await(client.request("block", new JsonObject().put("ms", 1.5))));
    assertBadRequest("kwarg \"done\" must be true or false", await(client.request("dialogue", new JsonObject().put("done", "yes"))));
  }

  @Test
  void finishedCancelledAndAbandonedConversationsLeaveNothingAttached() {
    TestClient client = client();
    List<Future<JsonObject>> finished = new ArrayList<>();
    List<Future<JsonObject>> cancelled = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // answered in round 0: the round handler set afterwards must not attach
      client.send(req("dialogue", "d" + i, new JsonObject().put("done", true)));
      finished.add(client.finalResponse("d" + i));
    }
    for (int i = 0; i < 20; i++) {
      client.send(req("sleep", "s" + i, new JsonObject().put("ms", 60_000)));
      client.send(new JsonObject().put("mode", "req_res").put("action", "cancel").put("id", "s" + i));
      cancelled.add(client.finalResponse("s" + i));
    }
    for (int i = 0; i < 20; i++) {
      JsonObject answer = await(finished.get(i));
      assertEquals(200, answer.getInteger("code"), answer.encode());
      assertEquals(0, answer.getJsonObject("data").getInteger("round"), "done in its first round");
      JsonObject cancel = await(cancelled.get(i));
      assertEquals(499, cancel.getInteger("code"), cancel.encode());
      assertEquals("cancelled", cancel.getString("msg"));
    }
    assertEquals(200, await(client.request("echo", null)).getInteger("code"));
    assertEquals(List.of(), client.pending(), "one final answer each, no intermediate response, nothing else");

    TestClient leaving = client();
    leaving.send(req("dialogue", "open", null));
    JsonObject round0 = await(leaving.next());
    assertEquals("open", round0.getString("id"));
    assertEquals(true, round0.getBoolean("more"), "the open dialogue's first round: " + round0.encode());
    waitUntil("only the open dialogue is attached", () -> builtins.attachedConversations() == 1);
    await(leaving.close());
    waitUntil("no conversation is attached", () -> builtins.attachedConversations() == 0);
    waitUntil("the gateway holds no request", () -> gateway.stats().openRequests() == 0);
  }

  private static void assertBadRequest(String msg, JsonObject answer) {
    assertEquals(400, answer.getInteger("code"), answer.encode());
    assertEquals(msg, answer.getString("msg"));
    assertEquals(new JsonArray(), answer.getJsonArray("data"), "the failure shape");
  }
}
