package org.jwws.gateway;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.refusedWith;

/**
 * Upgrades refused before the handshake (connection limit, origin, stopping node) and the
 * per-connection publish rate.
 */
class AdmissionTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().setMaxConnections(3).setMaxSubscriptions(3).addAllowedOrigin("https://app.example.com")
      .addAllowedOrigin("https://*.example.org").setPublishRate(5).setPublishBurst(5);
  }

  private WebSocketConnectOptions upgrade() {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port()).setURI("/ws");
  }

  @Test
  void connectionOverTheLimitIsRefusedWith503UntilOneCloses() {
    TestClient first = client();
    client();
    client();
    assertEquals(503, refusedWith(TestClient.connect(vertx, upgrade())));
    await(first.close());
    waitUntil("a slot is free", () -> gateway.stats().connections() == 2);
    TestClient again = await(TestClient.connect(vertx, upgrade()));
    assertEquals(200, await(again.request("echo", null)).getInteger("code"));
    await(again.close());
  }

  @Test
  void subscriptionsOverTheLimitAre429AndNothingOfTheFrameIsSubscribed() {
    TestClient client = client();
    assertEquals(200, await(client.subscribe("a", "b")).getInteger("code"));
    JsonObject over = await(client.subscribe("a", "c", "d"));
    assertEquals(429, over.getInteger("code"));
    assertEquals(2, gateway.stats().subscriptions());
    assertEquals(200, await(client.subscribe("b", "c")).getInteger("code"), "already held topics do not count twice");
    assertEquals(3, gateway.stats().subscriptions());
  }

  @Test
  void originOutsideTheAllowListIsRefusedWith403() {
    assertEquals(403, refusedWith(TestClient.connect(vertx, upgrade().addHeader("Origin", "https://evil.example.com"))));
    TestClient listed = await(TestClient.connect(vertx, upgrade().addHeader("Origin", "https://app.example.com")));
    TestClient glob = await(TestClient.connect(vertx, upgrade().addHeader("Origin", "https://eu.example.org")));
    assertEquals(200, await(listed.request("web", null)).getInteger("code"));
    assertEquals(200, await(glob.request("web", null)).getInteger("code"));
    await(listed.close());
    await(glob.close());
  }

  @Test
  void listedOriginsDoNotLetARebindingPagePassAsSameOrigin() {
    // evil.example resolved to this node: its page sends its own origin and host
    assertEquals(403, upgradeStatus(gateway.port(), "evil.example:" + gateway.port(), "http://evil.example:" + gateway.port()));
    assertEquals(101, upgradeStatus(gateway.port(), "127.0.0.1:" + gateway.port(), "http://127.0.0.1:" + gateway.port()));
  }

  @Test
  void withNoListOnlyTheGatewaysOwnPagesOnAnAddressOrLocalhostMayConnect() {
    Gateway open = await(Gateway.deploy(vertx, new GatewayOptions().setHost("127.0.0.1").setPort(0)));
    try {
      int port = open.port();
      assertEquals(101, upgradeStatus(port, "127.0.0.1:" + port, null), "no Origin: not a browser");
      assertEquals(101, upgradeStatus(port, "127.0.0.1:" + port, "http://127.0.0.1:" + port), "its own page by address");
      assertEquals(101, upgradeStatus(port, "localhost:" + port, "http://localhost:" + port), "its own page on localhost");
      assertEquals(101, upgradeStatus(port, "[::1]:" + port, "http://[::1]:" + port), "its own page by IPv6 address");
      assertEquals(403, upgradeStatus(port, "127.0.0.1:" + port, "https://app.example.com"), "another site");
      assertEquals(403, upgradeStatus(port, "localhost:" + port, "http://localhost:3000"), "another port is another origin");
      assertEquals(403, upgradeStatus(port, "evil.example:" + port, "http://evil.example:" + port), "DNS rebinding");
    } finally {
      await(open.close());
    }
  }

  @Test
  void starAllowsEveryOrigin() {
    Gateway any = await(Gateway.deploy(vertx, new GatewayOptions().setHost("127.0.0.1").setPort(0).addAllowedOrigin("*")));
    try {
      int port = any.port();
      assertEquals(101, upgradeStatus(port, "127.0.0.1:" + port, "https://app.example.com"));
      assertEquals(101, upgradeStatus(port, "evil.example:" + port, "http://evil.example:" + port));
    } finally {
      await(any.close());
    }
  }

  /**
   * The status of a raw upgrade with the given Host and Origin (null: none), as a browser on a
   * rebound name would send it; the socket is closed right after.
   */
  private int upgradeStatus(int port, String host, String origin) {
    NetClient net = vertx.createNetClient();
    try {
      NetSocket socket = await(net.connect(port, "127.0.0.1"));
      Promise<Integer> status = Promise.promise();
      Buffer head = Buffer.buffer();
      socket.handler(data -> {
        head.appendBuffer(data);
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (text.contains("\r\n")) {
          status.tryComplete(Integer.parseInt(text.substring(9, 12)));
        }
      });
      socket.write("GET /ws HTTP/1.1\r\nHost: " + host + "\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n");
      int code = await(status.future());
      await(socket.close());
      return code;
    } finally {
      await(net.close());
    }
  }

  @Test
  void stoppingNodeRefusesUpgradesWith503() {
    TestClient busy = client();
    busy.send(TestClient.req("sleep", "s", new JsonObject().put("ms", 2_000)));
    waitUntil("the sleep is open", () -> gateway.stats().openRequests() == 1);
    gateway.close();
    assertEquals(503, refusedWith(TestClient.connect(vertx, upgrade())));
  }

  @Test
  void publishingFasterThanTheRateIsAnswered429AndOthersAreServed() {
    TestClient flooder = client();
    TestClient bystander = client();
    await(bystander.subscribe("flood"));
    for (int i = 0; i < 20; i++) {
      flooder.send(TestClient.pub("flood", i));
    }
    JsonObject refused = await(flooder.nextMatching(f -> "ack".equals(f.getString("action"))));
    assertEquals(429, refused.getInteger("code"));
    assertEquals("flood", refused.getJsonArray("topic").getString(0));
    // the burst of 5 went through, in order
    for (int i = 0; i < 5; i++) {
      assertEquals(i, await(bystander.next()).getInteger("data"));
    }
    assertEquals(200, await(bystander.request("echo", null)).getInteger("code"));
  }
}
