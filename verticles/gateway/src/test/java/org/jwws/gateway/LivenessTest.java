package org.jwws.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jwws.gateway.TestClient.await;

class LivenessTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setPingIntervalMs(200).setPongTimeoutMs(200);
  }

  @Test
  void silentPeerIsClosedWhileAnIdlePeerThatAnswersPingsStays() {
    TestClient idle = client();
    await(idle.subscribe("quiet"));
    TestClient silent = client();
    await(silent.subscribe("quiet"));
    // stops reading: sees no ping, sends no pong, like a peer behind a dead network
    silent.socket().pause();
    waitUntil("the silent peer is gone", () -> gateway.stats().connections() == 1);
    // the idle one, pinged all along, still works
    assertEquals(200, await(idle.request("echo", null)).getInteger("code"));
    assertEquals(1, gateway.stats().subscriptions());
  }
}
