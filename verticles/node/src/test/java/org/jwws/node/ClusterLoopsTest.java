package org.jwws.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.TestClient;
import org.jwws.handlers.BuiltinCommands;
import org.jwws.shared.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.GatewayTestBase.waitUntil;
import static org.jwws.gateway.TestClient.await;

/**
 * Two clustered gateways of two instances each, so connections of one node are served by two
 * event loops and a topic's consumer runs on one of them: subscriptions and deliveries cross
 * event loops where registration is asynchronous (a cluster-wide write).
 */
class ClusterLoopsTest {

  private static final String CLUSTER = ClusterNodes.newClusterName();
  private static final long LINGER_MS = 3_000;
  private static final int CLIENTS = 6;
  private static Node a;
  private static Node b;
  private static Vertx clientVertx;
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    JsonObject twoLoops = new JsonObject().put("instances", 2).put("topicLingerMs", LINGER_MS);
    a = await(Node.start(ClusterNodes.gatewayNodeWith(CLUSTER, twoLoops, ClusterNodes.handler(BuiltinCommands.class, "on-A"))));
    b = await(Node.start(ClusterNodes.gatewayNodeWith(CLUSTER, twoLoops)));
    waitUntil("2 members", () -> a.clusterSize() == 2 && b.clusterSize() == 2);
    clientVertx = Vertx.vertx();
  }

  @AfterAll
  static void stopCluster() {
    await(clientVertx.close());
    await(b.stop());
    await(a.stop());
  }

  @AfterEach
  void closeClients() {
    await(Future.join(clients.stream().map(TestClient::close).toList()).otherwiseEmpty());
  }

  /** Clients of node A; the node's instances take connections in turn, so they spread over its two loops. */
  private List<TestClient> clientsOfA() {
    List<TestClient> ofA = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      TestClient client = await(TestClient.connect(clientVertx, a.gateway().port()));
      clients.add(client);
      assertEquals(200, await(client.request("echo", null)).getInteger("code"));
      ofA.add(client);
    }
    return ofA;
  }

  @Test
  void aPublicationFromTheOtherNodeAfterTheSubAckIsDeliveredOnEveryLoop() {
    List<TestClient> subscribers = clientsOfA();
    Backend fromB = Backend.create(b.vertx(), "b");
    for (int round = 0; round < 5; round++) {
      // a topic of its own (its consumer on the client's loop) and one shared by all (on one loop)
      for (int i = 0; i < subscribers.size(); i++) {
        TestClient subscriber = subscribers.get(i);
        String own = "own-" + round + "-" + i;
        assertEquals(200, await(subscriber.subscribe(own, "shared-" + round)).getInteger("code"));
        fromB.publish(own, 200, "", "for " + i);
        assertEquals("for " + i, await(subscriber.next()).getString("data"), "published after the ack, from B");
      }
      fromB.publish("shared-" + round, 200, "", "for all");
      for (TestClient subscriber : subscribers) {
        assertEquals("for all", await(subscriber.next()).getString("data"));
      }
    }
  }

  @Test
  void nothingOfATopicArrivesAfterItsUnsubAckWhileTheOtherNodeFloodsIt() {
    List<TestClient> subscribers = clientsOfA();
    for (TestClient subscriber : subscribers) {
      assertEquals(200, await(subscriber.subscribe("stream")).getInteger("code"));
    }
    TestClient witness = await(TestClient.connect(clientVertx, b.gateway().port()));
    clients.add(witness);
    assertEquals(200, await(witness.subscribe("stream")).getInteger("code"));

    int count = 5_000;
    Thread flood = new Thread(() -> {
      Backend fromB = Backend.create(b.vertx(), "b");
      for (int i = 0; i < count; i++) {
        fromB.publish("stream", 200, "", i);
        if (i % 20 == 0) {
          // paced (about 20 a millisecond) so that readers keep up: this is about order, not load
          LockSupport.parkNanos(1_000_000);
        }
      }
    }, "flood-from-B");
    flood.start();
    // each subscriber leaves mid-stream, without waiting for its ack: frames stay in arrival order
    JsonObject unsub = new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "stream").put("id", "leave");
    for (int i = 0; i < subscribers.size(); i++) {
      TestClient subscriber = subscribers.get(i);
      int after = 100 + 150 * i;
      waitUntil("publication " + after + " reached subscriber " + subscriber, () -> subscriber.pending().size() >= after);
      subscriber.send(unsub);
    }
    for (int i = 0; i < count; i++) {
      assertEquals(i, await(witness.next()).getInteger("data"), "B's own subscriber got everything");
    }
    // anything still on its way to a subscriber's loop is behind these round trips
    for (TestClient subscriber : subscribers) {
      for (int trip = 0; trip < 2; trip++) {
        assertEquals(200, await(subscriber.request("echo", null)).getInteger("code"));
      }
    }
    for (TestClient subscriber : subscribers) {
      List<JsonObject> frames = subscriber.pending();
      int ack = indexOfAck(frames);
      assertTrue(ack >= 0, "the unsub was acknowledged");
      assertEquals(200, frames.get(ack).getInteger("code"));
      for (int k = 0; k < ack; k++) {
        assertEquals(k, frames.get(k).getInteger("data"), "in order, none lost before the unsub");
      }
      assertEquals(frames.size() - 1, ack, "nothing after the unsub ack: " + frames.subList(ack, Math.min(frames.size(), ack + 4)));
    }
  }

  private static int indexOfAck(List<JsonObject> frames) {
    for (int i = 0; i < frames.size(); i++) {
      if ("ack".equals(frames.get(i).getString("action"))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aTopicFlappingOnOneNodeKeepsItsClusterRegistrationThroughTheLingerAndLosesItAfter() {
    TestClient client = clientsOfA().get(1);
    assertEquals(200, await(client.subscribe("flap")).getInteger("code"));
    assertEquals(Set.of(a.nodeId()), await(b.nodesRegisteredFor("topic.flap")));
    JsonObject unsub = new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "flap");
    long writes = a.gateway().stats().topicRegistryWrites();
    for (int i = 0; i < 10; i++) {
      client.send(unsub.copy().put("id", i));
      assertEquals(200, await(client.nextMatching(f -> "ack".equals(f.getString("action")))).getInteger("code"));
      assertEquals(Set.of(a.nodeId()), await(b.nodesRegisteredFor("topic.flap")), "kept through the linger");
      assertEquals(200, await(client.subscribe("flap")).getInteger("code"));
      Backend.create(b.vertx(), "b").publish("flap", 200, "", i);
      assertEquals(i, await(client.next()).getInteger("data"), "live again at once");
    }
    assertEquals(writes, a.gateway().stats().topicRegistryWrites(), "no cluster-wide write for 10 flaps");
    client.send(unsub.copy().put("id", "last"));
    await(client.nextMatching(f -> "ack".equals(f.getString("action"))));
    waitUntil("the registration is gone after the linger", () -> await(b.nodesRegisteredFor("topic.flap")).isEmpty());
  }
}
