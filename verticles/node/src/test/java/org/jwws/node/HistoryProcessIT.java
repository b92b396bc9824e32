package org.jwws.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.GatewayTestBase.waitUntil;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.pub;
import static org.jwws.gateway.V2Frames.ackOf;
import static org.jwws.gateway.V2Frames.assertStream;
import static org.jwws.gateway.V2Frames.presence;
import static org.jwws.gateway.V2Frames.publishAcked;
import static org.jwws.gateway.V2Frames.sub;

/**
 * History and presence across three nodes, each a JVM of its own started from the fat jar,
 * one of them killed with SIGKILL. Timings are printed as {@code [measured] ...}.
 */
class HistoryProcessIT {

  private static final Map<String, String> ENV = Map.of(
    "JWGW_HISTORY", "[{\"topics\": \"chat.*\", \"size\": 1000, \"ttlMs\": 600000}]",
    "JWGW_PRESENCE", "room.*",
    "JWGW_PUBLISH_RATE", "100000",
    "JWGW_PUBLISH_BURST", "100000");
  private final String cluster = ClusterNodes.newClusterName();
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final int[] ports = new int[3];
  private final List<TestClient> clients = new ArrayList<>();
  private Vertx clientVertx;

  @BeforeEach
  void startNodes() throws Exception {
    // one after the other: JVMs started together race to form the cluster and may form two
    for (int i = 0; i < 3; i++) {
      nodes.add(NodeProcess.start(ENV, null, "--cluster", "--cluster-name", cluster, "--host", "127.0.0.1", "--port", "0", "--no-handlers"));
      ports[i] = nodes.get(i).awaitReady();
    }
    clientVertx = Vertx.vertx();
    // every node sees the others once a presence list made on one node shows on the others
    waitUntilClustered();
  }

  @AfterEach
  void stopNodes() throws Exception {
    // whatever failed before, every JVM started goes: a leaked one holds a Hazelcast port
    try {
      await(Future.join(clients.stream().map(TestClient::close).toList()).otherwiseEmpty());
      if (clientVertx != null) {
        await(clientVertx.close());
      }
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
    }
  }

  private void waitUntilClustered() {
    TestClient probe = client(0);
    probe.send(sub("room.probe", "probe", null));
    ackOf(probe, "probe");
    for (int i = 1; i < 3; i++) {
      TestClient other = client(i);
      waitUntil("node " + i + " sees the cluster's presence", () -> presence(other, "room.probe").getInteger("count") == 1);
    }
  }

  private TestClient client(int node) {
    TestClient client = await(TestClient.connect(clientVertx, ports[node]));
    clients.add(client);
    return client;
  }






  @Test
  void subscriberOfAKilledNodeRecoversEveryPublicationOnceInOrderOnAnother() throws Exception {
    String topic = "chat.kill";
    TestClient subscriber = client(0);
    subscriber.send(sub(topic, "s1", null));
    String epoch = ackOf(subscriber, "s1").getJsonObject("position").getJsonObject(topic).getString("epoch");
    TestClient publisher = client(2);
    publishAcked(publisher, topic, 1, 50);
    assertStream(subscriber, topic, 1, 50);

    int total = 500;
    AtomicInteger sent = new AtomicInteger(50);
    long timer = clientVertx.setPeriodic(5, id -> {
      int next = sent.incrementAndGet();
      if (next <= total) {
        publisher.send(pub(topic, next).put("id", topic + "/" + next));
      }
    });
    waitUntil("publishing goes on", () -> sent.get() > 100);
    long killedAt = System.nanoTime();
    nodes.get(0).kill();
    TestClient back = client(1);
    back.send(sub(topic, "s2", new JsonObject().put(topic, new JsonObject().put("offset", 50).put("epoch", epoch))));
    JsonObject ack = ackOf(back, "s2");
    long ackMs = (System.nanoTime() - killedAt) / 1_000_000;
    assertTrue(ack.getJsonObject("recovered").getBoolean(topic), ack.encode());
    waitUntil("all published", () -> sent.get() >= total);
    clientVertx.cancelTimer(timer);
    for (int i = 51; i <= total; i++) {
      assertEquals(200, ackOf(publisher, topic + "/" + i).getInteger("code"));
    }
    assertStream(back, topic, 51, total);
    long caughtUpMs = (System.nanoTime() - killedAt) / 1_000_000;
    System.out.println("[measured] SIGKILL of the subscriber's node JVM: recovered ack on another node after " + ackMs
      + " ms, all " + total + " publications received once, in order, after " + caughtUpMs + " ms");
  }

  /**
   * Thirty topics' histories spread over the members' partitions: the killed member owned some
   * of them (all thirty avoid it with probability (2/3)^30, about 5e-6) and none is lost.
   */
  @Test
  void historiesOwnedByAKilledMemberAreKeptByTheirBackups() throws Exception {
    int topics = 30;
    TestClient subscriber = client(0);
    TestClient publisher = client(2);
    Map<String, String> epochs = new java.util.HashMap<>();
    for (int t = 0; t < topics; t++) {
      String topic = "chat.owned-" + t;
      subscriber.send(sub(topic, "s" + t, null));
      epochs.put(topic, ackOf(subscriber, "s" + t).getJsonObject("position").getJsonObject(topic).getString("epoch"));
      publishAcked(publisher, topic, 1, 10);
      assertStream(subscriber, topic, 1, 10);
    }
    await(subscriber.close());
    nodes.get(1).kill();
    for (int t = 0; t < topics; t++) {
      publishAcked(publisher, "chat.owned-" + t, 11, 20);
    }
    TestClient back = client(0);
    for (int t = 0; t < topics; t++) {
      String topic = "chat.owned-" + t;
      back.send(sub(topic, "r" + t, new JsonObject().put(topic, new JsonObject().put("offset", 10).put("epoch", epochs.get(topic)))));
      JsonObject ack = ackOf(back, "r" + t);
      assertTrue(ack.getJsonObject("recovered").getBoolean(topic), ack.encode());
      assertStream(back, topic, 11, 20);
    }
  }

  @Test
  void killedNodesPresenceGoesWithLeaveEventsToTheOthers() throws Exception {
    List<TestClient> watchers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TestClient watcher = client(i);
      watcher.send(sub("room.1", "w", null).put("presence_events", true));
      assertEquals(200, ackOf(watcher, "w").getInteger("code"));
      watchers.add(watcher);
    }
    waitUntil("three listed everywhere", () -> watchers.stream().allMatch(w -> presence(w, "room.1").getInteger("count") == 3));
    long killedAt = System.nanoTime();
    nodes.get(2).kill();
    for (TestClient survivor : watchers.subList(0, 2)) {
      JsonObject leave = await(survivor.nextMatching(f -> "leave".equals(f.getString("action"))));
      assertEquals("room.1", leave.getString("topic"));
      System.out.println("[measured] SIGKILL of a node JVM to its leave event on a survivor: "
        + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
    }
    assertEquals(2, presence(watchers.get(0), "room.1").getInteger("count"));
    assertEquals(2, presence(watchers.get(1), "room.1").getInteger("count"));
  }
}
