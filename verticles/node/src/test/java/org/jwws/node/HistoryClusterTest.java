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
import java.util.concurrent.TimeUnit;
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
 * History and presence across three clustered nodes in one JVM, each its own Hazelcast member;
 * a member is killed abruptly by terminating its Hazelcast instance (no goodbye to the cluster).
 * Recovery and presence timings are printed as {@code [measured] ...}.
 */
class HistoryClusterTest {

  private static final String TOPIC = "chat.cluster";
  private final List<Node> nodes = new ArrayList<>();
  private final List<TestClient> clients = new ArrayList<>();
  private Vertx clientVertx;
  private Node a;
  private Node b;
  private Node c;

  private final String cluster = ClusterNodes.newClusterName();

  @BeforeEach
  void startCluster() {
    for (int i = 0; i < 3; i++) {
      nodes.add(start());
    }
    a = nodes.get(0);
    b = nodes.get(1);
    c = nodes.get(2);
    waitUntil("3 members", () -> a.clusterSize() == 3 && b.clusterSize() == 3 && c.clusterSize() == 3);
    // a member killed while partitions still migrate to the newest one is another story (below)
    waitUntil("partitions settled", () -> a.hazelcast().getPartitionService().isClusterSafe());
    clientVertx = Vertx.vertx();
  }

  @AfterEach
  void stopCluster() {
    // whatever failed before, every member started goes: a leaked one holds a Hazelcast port
    try {
      await(Future.join(clients.stream().map(TestClient::close).toList()).otherwiseEmpty());
      if (clientVertx != null) {
        await(clientVertx.close());
      }
    } finally {
      for (Node node : nodes) {
        await(node.stop().otherwiseEmpty());
      }
    }
  }

  private Node start() {
    JsonObject config = ClusterNodes.gatewayNode(cluster);
    config.getJsonObject("gateway")
      .put("history", new JsonArray().add(new JsonObject().put("topics", "chat.*").put("size", 1_000).put("ttlMs", 600_000)))
      .put("presence", new JsonArray().add("room.*"));
    return await(Node.start(config));
  }

  private TestClient client(Node node) {
    TestClient client = await(TestClient.connect(clientVertx, node.gateway().port()));
    clients.add(client);
    return client;
  }

  /** kill -9 of a member, as far as one JVM allows: its Hazelcast instance terminates, then its Vert.x goes. */
  private void kill(Node node) {
    node.hazelcast().getLifecycleService().terminate();
    nodes.remove(node);
    node.vertx().close().toCompletionStage().toCompletableFuture().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
  }






  /** A subscriber on A reads, A dies while C keeps publishing, the subscriber comes back on B with since. */
  @Test
  void subscriberWhoseNodeDiedRecoversEverythingOnAnotherNode() {
    TestClient subscriber = client(a);
    subscriber.send(sub(TOPIC, "s1", null));
    String epoch = ackOf(subscriber, "s1").getJsonObject("position").getJsonObject(TOPIC).getString("epoch");
    TestClient publisher = client(c);
    publishAcked(publisher, TOPIC, 1, 20);
    assertStream(subscriber, TOPIC, 1, 20);

    // C keeps publishing, one every 5 ms, while A dies and the subscriber comes back
    int total = 300;
    AtomicInteger sent = new AtomicInteger(20);
    long timer = clientVertx.setPeriodic(5, id -> {
      int next = sent.incrementAndGet();
      if (next <= total) {
        publisher.send(pub(TOPIC, next).put("id", "p" + next));
      }
    });
    waitUntil("some published meanwhile", () -> sent.get() > 60);
    long killedAt = System.nanoTime();
    kill(a);
    TestClient back = client(b);
    back.send(sub(TOPIC, "s2", new JsonObject().put(TOPIC, new JsonObject().put("offset", 20).put("epoch", epoch))));
    JsonObject ack = ackOf(back, "s2");
    long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
    assertTrue(ack.getJsonObject("recovered").getBoolean(TOPIC), ack.encode());
    waitUntil("all published", () -> sent.get() >= total);
    clientVertx.cancelTimer(timer);
    for (int i = 21; i <= total; i++) {
      assertEquals(200, ackOf(publisher, "p" + i).getInteger("code"));
    }
    assertStream(back, TOPIC, 21, total);
    System.out.println("[measured] kill of the subscriber's node to the recovered ack on another node: " + recoveredMs + " ms");
  }

  /** The member owning the topic's ringbuffer partition dies: its backup holds the history. */
  @Test
  void historyOutlivesTheMemberThatOwnedIt() {
    String owner = b.nodeId();
    String topic = null;
    for (int i = 0; topic == null && i < 10_000; i++) {
      String candidate = "chat.owned-" + i;
      String member = a.hazelcast().getPartitionService().getPartition("jw.history." + candidate).getOwner()
        .getAttribute(PresenceCleanup.VERTX_NODE_ID);
      if (owner.equals(member)) {
        topic = candidate;
      }
    }
    String owned = topic;
    TestClient subscriber = client(a);
    subscriber.send(sub(owned, "s1", null));
    String epoch = ackOf(subscriber, "s1").getJsonObject("position").getJsonObject(owned).getString("epoch");
    TestClient publisher = client(c);
    publishAcked(publisher, owned, 1, 20);
    assertStream(subscriber, owned, 1, 20);
    await(subscriber.close());

    kill(b);
    publishAcked(publisher, owned, 21, 60);
    TestClient back = client(a);
    back.send(sub(owned, "s2", new JsonObject().put(owned, new JsonObject().put("offset", 20).put("epoch", epoch))));
    JsonObject ack = ackOf(back, "s2");
    assertTrue(ack.getJsonObject("recovered").getBoolean(owned), ack.encode());
    assertEquals(epoch, ack.getJsonObject("position").getJsonObject(owned).getString("epoch"));
    assertStream(back, owned, 21, 60);
  }

  /**
   * A replay of the whole history (1,000 of 4 KB: four times the default write queue) read from
   * the cluster's store page by page, on another node than the publisher's, live ones during it.
   */
  @Test
  void aReplayOfTheWholeHistoryIsPagedFromTheClusterAndWrittenAsTheClientReads() {
    String topic = "chat.paged";
    TestClient publisher = client(c);
    String pad = "x".repeat(4_000);
    publishWithPad(publisher, topic, 1, 1_000, pad);
    TestClient probe = client(b);
    probe.send(new JsonObject().put("mode", "pub_sub").put("action", "history").put("topic", topic).put("limit", 1).put("id", "h"));
    String epoch = ackOf(probe, "h").getJsonObject("position").getJsonObject(topic).getString("epoch");

    TestClient back = client(b);
    back.send(sub(topic, "s", new JsonObject().put(topic, new JsonObject().put("offset", 0).put("epoch", epoch))));
    assertTrue(ackOf(back, "s").getJsonObject("recovered").getBoolean(topic));
    // live ones while it replays, trimming the oldest 100 of the history: the first page, read before the ack
    publishWithPad(publisher, topic, 1_001, 1_100, "");
    for (long expected = 1; expected <= 1_100; expected++) {
      JsonObject frame = await(back.nextMatching(f -> "pub".equals(f.getString("action"))));
      assertEquals(expected, frame.getLong("offset"), "each once, in order");
    }
    assertEquals(0, b.gateway().stats().slowConsumerCloses());
  }

  /** Publishes {@code from..to} (data = the number) with a pad, 100 unacknowledged at most. */
  private static void publishWithPad(TestClient publisher, String topic, int from, int to, String pad) {
    for (int start = from; start <= to; start += 100) {
      int end = Math.min(to, start + 99);
      for (int i = start; i <= end; i++) {
        publisher.send(pub(topic, i).put("pad", pad).put("id", topic + "/" + i));
      }
      for (int i = start; i <= end; i++) {
        assertEquals(200, ackOf(publisher, topic + "/" + i).getInteger("code"));
      }
    }
  }

  /** Clients on three nodes; one node dies: the others' lists drop its entry and their subscribers get its leave. */
  @Test
  void deadMembersPresenceIsRemovedWithLeaveEvents() {
    List<TestClient> watchers = new ArrayList<>();
    for (Node node : List.of(a, b, c)) {
      TestClient watcher = client(node);
      watcher.send(sub("room.1", "w", null).put("presence_events", true));
      assertEquals(200, ackOf(watcher, "w").getInteger("code"));
      watchers.add(watcher);
    }
    TestClient onA = watchers.get(0);
    waitUntil("three listed", () -> presence(onA, "room.1").getInteger("count") == 3);
    JsonArray listed = presence(watchers.get(1), "room.1").getJsonArray("data");
    JsonObject ofC = null;
    for (Object entry : listed) {
      if (c.nodeId().equals(((JsonObject) entry).getString("node"))) {
        ofC = (JsonObject) entry;
      }
    }
    JsonObject entryOfC = ofC;
    assertTrue(entryOfC != null, listed.encode());

    long killedAt = System.nanoTime();
    kill(c);
    for (TestClient survivor : watchers.subList(0, 2)) {
      JsonObject leave = await(survivor.nextMatching(f -> "leave".equals(f.getString("action"))));
      assertEquals(entryOfC, leave.getJsonObject("data"));
      System.out.println("[measured] kill of a member to its leave event on a survivor: " + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
    }
    assertEquals(2, presence(onA, "room.1").getInteger("count"));

    // a node stopped gracefully takes its entries with it, leave events sent, before it leaves
    String nodeOfB = b.nodeId();
    await(b.stop());
    nodes.remove(b);
    JsonObject leave = await(onA.nextMatching(f -> "leave".equals(f.getString("action"))));
    assertEquals(nodeOfB, leave.getJsonObject("data").getString("node"));
    assertEquals(1, presence(onA, "room.1").getInteger("count"));
  }

  /** Every member stopped: the history is gone with them, and the new cluster says so. */
  @Test
  void aWholeClusterRestartStartsANewEpoch() {
    TestClient publisher = client(a);
    publishAcked(publisher, TOPIC, 1, 5);
    publisher.send(new JsonObject().put("mode", "pub_sub").put("action", "history").put("topic", TOPIC).put("id", "h"));
    JsonObject before = ackOf(publisher, "h").getJsonObject("position").getJsonObject(TOPIC);
    assertEquals(5L, before.getLong("offset"));
    for (Node node : List.copyOf(nodes)) {
      await(node.stop());
      nodes.remove(node);
    }
    nodes.add(start());
    TestClient back = client(nodes.get(0));
    back.send(sub(TOPIC, "s", new JsonObject().put(TOPIC, before)));
    JsonObject ack = ackOf(back, "s");
    assertEquals(false, ack.getJsonObject("recovered").getBoolean(TOPIC), ack.encode());
    JsonObject after = ack.getJsonObject("position").getJsonObject(TOPIC);
    assertEquals(0L, after.getLong("offset"));
    assertTrue(!before.getString("epoch").equals(after.getString("epoch")), "a new epoch");
  }

}
