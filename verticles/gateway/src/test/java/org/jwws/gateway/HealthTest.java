package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.req;

class HealthTest extends GatewayTestBase {

  /** Status and JSON body of a GET on the gateway's port. */
  static Future<JsonObject> get(HttpClient http, int port, String path) {
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
      .compose(request -> request.send())
      .compose(response -> response.body().map(body -> new JsonObject()
        .put("status", response.statusCode()).put("body", new JsonObject(body))));
  }

  @Test
  void liveAndReadyWhileServingNotReadyWhileDraining() {
    HttpClient http = vertx.createHttpClient();
    JsonObject live = await(get(http, gateway.port(), "/health/live"));
    assertEquals(200, live.getInteger("status"));
    JsonObject ready = await(get(http, gateway.port(), "/health/ready"));
    assertEquals(200, ready.getInteger("status"), ready.encode());
    assertEquals("UP", ready.getJsonObject("body").getString("status"));
    assertEquals("gateway", ready.getJsonObject("body").getJsonArray("checks").getJsonObject(0).getString("id"));

    TestClient busy = client();
    busy.send(req("sleep", "s", new JsonObject().put("ms", 2_000)));
    waitUntil("the sleep is open", () -> gateway.stats().openRequests() == 1);
    gateway.close();
    JsonObject draining = await(get(http, gateway.port(), "/health/ready"));
    assertEquals(503, draining.getInteger("status"), "a draining node tells load balancers to stop: " + draining.encode());
    assertEquals(200, await(get(http, gateway.port(), "/health/live")).getInteger("status"));
  }
}
