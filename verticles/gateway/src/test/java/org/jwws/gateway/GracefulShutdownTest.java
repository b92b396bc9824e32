package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.req;

class GracefulShutdownTest extends GatewayTestBase {

  /** One event loop: every connection is told of the shutdown in the same pass. */
  @Override
  protected GatewayOptions options() {
    return super.options().setInstances(1).setShutdownGraceMs(5_000);
  }

  @Test
  void stoppingNodeFinishesOpenRequestsThenClosesWith1001() {
    TestClient busy = client();
    TestClient idle = client();
    busy.send(req("sleep", "s", new JsonObject().put("ms", 500)));
    waitUntil("the sleep is open", () -> gateway.stats().openRequests() == 1);

    Future<Void> closing = gateway.close();
    assertEquals((short) 1001, await(idle.closed()), "an idle client is told at once");
    busy.send(req("echo", "late", null));
    JsonObject refused = await(busy.finalResponse("late"));
    assertEquals(503, refused.getInteger("code"), "no new requests while draining");
    assertEquals(200, await(busy.finalResponse("s")).getInteger("code"), "the open request is answered");
    assertEquals((short) 1001, await(busy.closed()));
    await(closing);
  }

  @Test
  void connectionsStillBusyAfterTheGraceAreClosed() {
    await(gateway.close());
    gateway = await(Gateway.deploy(vertx, super.options().setShutdownGraceMs(200)));
    TestClient stuck = client();
    stuck.send(req("sleep", "forever", new JsonObject().put("ms", 60_000)));
    waitUntil("the sleep is open", () -> gateway.stats().openRequests() == 1);
    waitUntil("the sleep's handler attached (it has an end handler)", () -> builtins.attachedConversations() == 1);
    long closingAt = System.nanoTime();
    Future<Void> closing = gateway.close();
    assertEquals((short) 1001, await(stuck.closed()), "closed as going away");
    long closedAfterMs = (System.nanoTime() - closingAt) / 1_000_000;
    assertEquals("going away", stuck.socket().closeReason());
    assertTrue(closedAfterMs >= 200, "not before the grace of 200 ms: " + closedAfterMs + " ms");
    await(closing);
    assertEquals(List.of(), stuck.pending(), "no answer to the request cut short, nothing else");
    waitUntil("the handler was told its client is gone", () -> builtins.attachedConversations() == 0);
  }
}
