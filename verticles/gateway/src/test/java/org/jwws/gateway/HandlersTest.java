package org.jwws.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.jwws.handlers.BuiltinCommands;
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
    assertEquals(400, await(client.request("fetch", new JsonObject().putNull("path"))).getInteger("code"));
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
  void badKwargsOfBuiltinsAre400() {
    TestClient client = client();
    assertEquals(400, await(client.request("sleep", new JsonObject().put("ms", "soon"))).getInteger("code"));
    assertEquals(400, await(client.request("sleep", new JsonObject().put("ms", -1))).getInteger("code"));
    assertEquals(400, await(client.request("progress", new JsonObject().put("steps", 0))).getInteger("code"));
    assertEquals(400, await(client.request("block", new JsonObject().put("ms", 1.5))).getInteger("code"));
  }

  @Test
  void finishedCancelledAndAbandonedConversationsLeaveNothingAttached() {
    BuiltinCommands builtins = new BuiltinCommands();
    await(vertx.deployVerticle(builtins));
    TestClient client = client();
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // answered in round 0: the round handler set afterwards must not attach
      client.send(req("dialogue", "d" + i, new JsonObject().put("done", true)));
      answers.add(client.finalResponse("d" + i));
    }
    for (int i = 0; i < 20; i++) {
      client.send(req("sleep", "s" + i, new JsonObject().put("ms", 60_000)));
      client.send(new JsonObject().put("mode", "req_res").put("action", "cancel").put("id", "s" + i));
      answers.add(client.finalResponse("s" + i));
    }
    await(Future.all(answers));
    TestClient leaving = client();
    leaving.send(req("dialogue", "open", null));
    await(leaving.next());
    await(leaving.close());
    waitUntil("no conversation is attached", () -> builtins.attachedConversations() == 0);
  }
}
