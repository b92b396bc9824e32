package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.req;

class HealthTest extends GatewayTestBase {

  @Test
  void liveAndReadyWhileServingNotReadyWhileDraining() {
    HttpClient http = vertx.createHttpClient();
    JsonObject live = await(NodeHttp.get(http, gateway.port(), "/health/live"));
    assertEquals(200, live.getInteger("status"));
    JsonObject ready = await(NodeHttp.get(http, gateway.port(), "/health/ready"));
    assertEquals(200, ready.getInteger("status"), ready.encode());
    assertEquals("UP", ready.getJsonObject("body").getString("status"));
    assertEquals("gateway", ready.getJsonObject("body").getJsonArray("checks").getJsonObject(0).getString("id"));

    TestClient busy = client();
    busy.send(req("sleep", "s", new JsonObject().put("ms", 2_000)));
    waitUntil("the sleep is open", () -> gateway.stats().openRequests() == 1);
    Future<Void> closing = gateway.close();
    JsonObject draining = await(NodeHttp.get(http, gateway.port(), "/health/ready"));
    assertEquals(503, draining.getInteger("status"), "a draining node tells load balancers to stop: " + draining.encode());
    assertEquals(200, await(NodeHttp.get(http, gateway.port(), "/health/live")).getInteger("status"));
    assertEquals(200, await(busy.finalResponse("s")).getInteger("code"), "the open request is answered while draining");
    assertEquals((short) 1001, await(busy.closed()), "then its client is told the node goes away");
    await(closing);
    assertEquals(0, gateway.stats().connections(), "the close completes once no connection is left");
  }
}
