package org.jwws.node;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.NodeHttp;
import org.jwws.gateway.TestClient;
import org.jwws.handlers.BlockCommand;
import org.jwws.handlers.BuiltinCommands;
import org.jwws.handlers.UserTopicCallback;
import org.jwws.shared.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.GatewayTestBase.waitUntil;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.pub;

/**
 * Four clustered nodes in one JVM, each with its own Hazelcast member: gateways A, B and C
 * (echo served on A only), and a handler-only node H (echo and the {@code user} topic callback).
 * Clients run on a Vert.x of their own, as external clients would.
 */
class ClusterTest {

  private static final String CLUSTER = ClusterNodes.newClusterName();
  private static Node a;
  private static Node b;
  private static Node c;
  private static Node h;
  private static Vertx clientVertx;
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    a = await(Node.start(ClusterNodes.gatewayNode(CLUSTER, ClusterNodes.handler(BuiltinCommands.class, "on-A"))));
    b = await(Node.start(ClusterNodes.gatewayNode(CLUSTER)));
    c = await(Node.start(ClusterNodes.gatewayNode(CLUSTER)));
    h = await(Node.start(ClusterNodes.handlerNode(CLUSTER,
      ClusterNodes.handler(BuiltinCommands.class, "on-H"), ClusterNodes.handler(UserTopicCallback.class, "user-callback"))));
    waitUntil("4 members", () -> a.clusterSize() == 4 && c.clusterSize() == 4);
    clientVertx = Vertx.vertx();
  }

  @AfterAll
  static void stopCluster() {
    await(clientVertx.close());
    for (Node node : List.of(h, c, b, a)) {
      await(node.stop());
    }
  }

  @AfterEach
  void closeClients() {
    await(Future.join(clients.stream().map(TestClient::close).toList()).otherwiseEmpty());
  }

  private TestClient client(Node node) {
    TestClient client = await(TestClient.connect(clientVertx, node.gateway().port()));
    clients.add(client);
    // the first cross-node request is slow (event-bus connection, JIT): warm the path once
    assertEquals(200, await(client.request("echo", null)).getInteger("code"));
    return client;
  }

  @Test
  void statsShowEveryNodeWithItsHandlersConnectionsAndTopics() {
    TestClient onB = client(b);
    assertEquals(200, await(onB.subscribe("stats-topic")).getInteger("code"));
    HttpClient http = clientVertx.createHttpClient();
    Set<String> members = Set.of(a.nodeId(), b.nodeId(), c.nodeId(), h.nodeId());
    // each node refreshes its report every 2 s: B's subscription shows within that
    AtomicReference<JsonObject> stats = new AtomicReference<>();
    waitUntil("A's console sees B's subscriber", () -> {
      stats.set(NodeHttp.stats(http, a.gateway().port()));
      JsonObject reportOfB = reportOf(stats.get(), b.nodeId());
      return reportOfB != null && reportOfB.getJsonObject("gateway").getJsonObject("topics").getInteger("stats-topic", 0) == 1;
    });
    JsonArray cluster = stats.get().getJsonArray("cluster");
    Set<String> ids = new HashSet<>();
    cluster.forEach(node -> ids.add(((JsonObject) node).getString("id")));
    assertEquals(members, ids, cluster.encode());
    JsonObject handlerNode = reportOf(stats.get(), h.nodeId());
    assertEquals(null, handlerNode.getJsonObject("gateway"), "H runs no gateway");
    assertEquals(1, handlerNode.getJsonObject("handlers").getInteger("echo"), handlerNode.encode());
    assertTrue(reportOf(stats.get(), b.nodeId()).getJsonObject("gateway")
      .getJsonObject("stats").getInteger("connections") >= 1);

    // every node has a registry of its own, with Vert.x's own metrics next to the gateway's
    // (other tests' clients may still be closing: their subscriptions go away on their own)
    waitUntil("B counts its one subscription, C none", () -> NodeHttp.metrics(http, b.gateway().port()).get("jw_subscriptions") == 1.0
      && NodeHttp.metrics(http, c.gateway().port()).get("jw_subscriptions") == 0.0);
    Map<String, Double> metricsOfB = NodeHttp.metrics(http, b.gateway().port());
    assertTrue(metricsOfB.containsKey("vertx_eventbus_handlers"), "Vert.x event-bus metrics");
    assertTrue(metricsOfB.keySet().stream().anyMatch(series -> series.startsWith("jvm_memory_used_bytes")), "JVM metrics");
  }

  private static JsonObject reportOf(JsonObject stats, String nodeId) {
    for (Object node : stats.getJsonArray("cluster")) {
      if (nodeId.equals(((JsonObject) node).getString("id"))) {
        return (JsonObject) node;
      }
    }
    return null;
  }

  @Test
  void readinessReportsHandlersAndClusterMembership() {
    JsonObject ready = await(NodeHttp.get(clientVertx.createHttpClient(), a.gateway().port(), "/health/ready"));
    assertEquals(200, ready.getInteger("status"), ready.encode());
    Set<String> up = new HashSet<>();
    ready.getJsonObject("body").getJsonArray("checks").forEach(check -> {
      if ("UP".equals(((JsonObject) check).getString("status"))) {
        up.add(((JsonObject) check).getString("id"));
      }
    });
    assertEquals(Set.of("gateway", "handlers", "cluster"), up);
  }

  @Test
  void publicationReachesSubscribersOnEveryNodeOnceAndInOrder() {
    List<TestClient> subscribers = List.of(client(a), client(b), client(c));
    for (TestClient subscriber : subscribers) {
      await(subscriber.subscribe("fan"));
    }
    TestClient publisher = client(c);
    int count = 200;
    for (int i = 0; i < count; i++) {
      publisher.send(pub("fan", i));
    }
    for (TestClient subscriber : subscribers) {
      for (int i = 0; i < count; i++) {
        assertEquals(i, await(subscriber.next()).getInteger("data"));
      }
    }
    // exactly once: a marker published after everything is the next frame everywhere
    publisher.send(pub("fan", "marker"));
    for (TestClient subscriber : subscribers) {
      assertEquals("marker", await(subscriber.next()).getString("data"));
    }
  }

  @Test
  void nodeWithoutSubscribersReceivesNoTrafficForTheTopic() {
    TestClient onA = client(a);
    TestClient onB = client(b);
    await(onA.subscribe("only-a", "both"));
    await(onB.subscribe("both"));
    long bBefore = b.gateway().stats().publicationsReceived();
    Backend backend = Backend.create(c.vertx(), "c");
    for (int i = 0; i < 50; i++) {
      backend.publish("only-a", 200, "", i);
    }
    backend.publish("both", 200, "", "marker");
    for (int i = 0; i < 50; i++) {
      assertEquals(i, await(onA.nextMatching(f -> "only-a".equals(f.getString("topic")))).getInteger("data"));
    }
    // the marker was published after the 50: once B has it, anything for B would have arrived
    assertEquals("marker", await(onB.next()).getString("data"));
    assertEquals(bBefore + 1, b.gateway().stats().publicationsReceived(), "B received the marker and nothing of only-a");
    assertEquals(Set.of(a.nodeId()), await(a.nodesRegisteredFor("topic.only-a")));
  }

  @Test
  void subAckMeansTheSubscriptionIsLiveOnEveryNode() {
    TestClient onA = client(a);
    Backend fromC = Backend.create(c.vertx(), "c");
    for (int i = 0; i < 20; i++) {
      String topic = "live-" + i;
      await(onA.subscribe(topic));
      fromC.publish(topic, 200, "", i);
      assertEquals(i, await(onA.next()).getInteger("data"), "a publication right after the ack arrives");
    }
  }

  @Test
  void quickSubUnsubSubAndRepeatedSubEndSubscribedAndLive() {
    TestClient onA = client(a);
    JsonObject sub = new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", "flip");
    JsonObject unsub = new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "flip");
    // no waiting between frames: registrations are still in flight in the cluster
    onA.send(sub.copy().put("id", 1)).send(unsub.copy().put("id", 2)).send(sub.copy().put("id", 3)).send(sub.copy().put("id", 4));
    for (int id = 1; id <= 4; id++) {
      int expected = id;
      JsonObject ack = await(onA.nextMatching(f -> "ack".equals(f.getString("action")) && f.getInteger("id") == expected));
      assertEquals(200, ack.getInteger("code"), ack.encode());
    }
    // after the last ack the subscription is live cluster-wide
    Backend.create(c.vertx(), "c").publish("flip", 200, "", "through");
    assertEquals("through", await(onA.next()).getString("data"));
  }

  @Test
  void commandsAreServedByHandlersOnOtherNodesAndSpreadOverInstances() {
    TestClient onC = client(c);
    Set<String> answeredBy = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      JsonObject res = await(onC.request("echo", new JsonObject().put("i", i)));
      assertEquals(200, res.getInteger("code"));
      answeredBy.add(res.getString("src"));
    }
    assertEquals(Set.of("on-A", "on-H"), answeredBy, "C has no handler; A and H share the work");
  }

  @Test
  void aGatewayWhoseOwnJvmServesACommandStillSharesItWithOtherNodes() {
    TestClient onA = client(a);
    Set<String> answeredBy = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      answeredBy.add(await(onA.request("echo", new JsonObject().put("i", i))).getString("src"));
    }
    assertEquals(Set.of("on-A", "on-H"), answeredBy, "A's own instance is not called directly while H serves echo too");
  }

  @Test
  void aCommandServedOnlyInTheGatewaysJvmSkipsTheEventBusUntilAnotherNodeServesIt() {
    AtomicInteger sentOverTheBus = new AtomicInteger();
    Handler<DeliveryContext<Object>> counter = delivery -> {
      if ("cmd.block".equals(delivery.message().address())) {
        sentOverTheBus.incrementAndGet();
      }
      delivery.next();
    };
    a.vertx().eventBus().addOutboundInterceptor(counter);
    String onA = await(a.vertx().deployVerticle(BlockCommand.class.getName(), worker("on-A")));
    String onH = null;
    try {
      TestClient client = client(a);
      // the cluster's count of block's servers is read in the background: the first requests may take the bus
      waitUntil("a request is served without the event bus", () -> {
        int before = sentOverTheBus.get();
        assertEquals("on-A", await(client.request("block", null)).getString("src"));
        return sentOverTheBus.get() == before;
      });
      int before = sentOverTheBus.get();
      for (int i = 0; i < 10; i++) {
        assertEquals("on-A", await(client.request("block", null)).getString("src"));
      }
      assertEquals(before, sentOverTheBus.get(), "A alone serves block: its instance is called directly");

      onH = await(h.vertx().deployVerticle(BlockCommand.class.getName(), worker("on-H")));
      waitUntil("H gets a share of A's requests", () -> "on-H".equals(await(client.request("block", null)).getString("src")));
      assertTrue(sentOverTheBus.get() > before, "shared: over the event bus again");
    } finally {
      a.vertx().eventBus().removeOutboundInterceptor(counter);
      await(a.vertx().undeploy(onA));
      if (onH != null) {
        await(h.vertx().undeploy(onH));
      }
    }
  }

  private static DeploymentOptions worker(String src) {
    return new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(new JsonObject().put("src", src));
  }

  @Test
  void handlerNodeStartedLaterServesEveryGatewayAndItsStopAnswers404AtOnce() {
    TestClient onA = client(a);
    TestClient onB = client(b);
    assertEquals(404, await(onA.request("block", null)).getInteger("code"));
    Node late = await(Node.start(ClusterNodes.handlerNode(CLUSTER,
      new JsonObject().put("class", BlockCommand.class.getName()).put("worker", true))));
    assertEquals(200, await(onA.request("block", null)).getInteger("code"));
    assertEquals(200, await(onB.request("block", null)).getInteger("code"));
    await(late.stop());
    waitUntil("the late node left", () -> a.clusterSize() == 4);
    // no waiting for the 30 s request timeout: the handler is gone, so 404
    assertEquals(404, await(onA.request("block", null)).getInteger("code"));
    assertEquals(404, await(onB.request("block", null)).getInteger("code"));
  }

  @Test
  void topicCallbackOnAHandlerNodeAnswersPublicationsFromAnyGateway() {
    TestClient watcher = client(a);
    await(watcher.subscribe("user"));
    client(b).send(pub("user", "new user"));
    JsonObject followUp = await(watcher.nextMatching(f -> "user-callback".equals(f.getString("src"))));
    assertEquals("new user", followUp.getJsonObject("data").getString("seen"));
  }

  @Test
  void directPushAndBroadcastCrossNodes() {
    TestClient onA = client(a);
    TestClient onB = client(b);
    TestClient onC = client(c);
    // a handler on H learns A's connection address from a request; C pushes to it
    Promise<String> address = Promise.promise();
    await(h.vertx().eventBus().<JsonObject>consumer("cmd.remember", msg -> {
      address.tryComplete(msg.headers().get("jw-conn"));
      msg.reply(new JsonObject());
    }).completion());
    await(onA.request("remember", null));
    Backend.create(c.vertx(), "c").push(await(address.future()), new JsonObject().put("mode", "req_res").put("action", "res").put("msg", "for A"));
    assertEquals("for A", await(onA.next()).getString("msg"));
    Backend.create(h.vertx(), "h").broadcast(new JsonObject().put("mode", "pub_sub").put("action", "pub").put("msg", "all"));
    for (TestClient client : List.of(onA, onB, onC)) {
      assertEquals("all", await(client.next()).getString("msg"));
    }
    assertTrue(onB.pending().isEmpty() && onC.pending().isEmpty(), "the push reached only A");
  }
}
