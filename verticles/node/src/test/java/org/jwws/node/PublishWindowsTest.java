package org.jwws.node;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jwws.shared.Backend;
import org.jwws.shared.PublicationRefused;
import org.jwws.shared.PublishWindows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.GatewayTestBase.waitUntil;
import static org.jwws.gateway.TestClient.await;

/**
 * A backend on node B publishes in a tight loop to a WebSocket subscriber on gateway node A:
 * what is in flight towards A stays within the window, what waits on B within its queue, and
 * past that the publisher's futures fail; a subscriber that keeps up gets everything once, in
 * order; a node that dies with the window full holds the publisher no longer than its
 * member-removed event.
 */
class PublishWindowsTest {

  private static final String TOPIC = "flood";
  private Node a;
  private Node b;
  private Vertx clientVertx;
  private WebSocketClient wsClient;
  /** Released by each test's end at the latest: A's event loops are never left blocked. */
  private final CountDownLatch release = new CountDownLatch(1);
  private boolean aKilled;

  @BeforeEach
  void startCluster() {
    String cluster = ClusterNodes.newClusterName();
    a = await(Node.start(ClusterNodes.gatewayNode(cluster)));
    b = await(Node.start(ClusterNodes.handlerNode(cluster)));
    waitUntil("2 members", () -> a.clusterSize() == 2 && b.clusterSize() == 2);
    clientVertx = Vertx.vertx();
    wsClient = clientVertx.createWebSocketClient();
  }

  @AfterEach
  void stopCluster() {
    release.countDown();
    await(clientVertx.close());
    // a node whose member was killed stops without saying goodbye
    await(Future.join(aKilled ? a.vertx().close() : a.stop(), b.stop()).otherwiseEmpty());
  }

  @Test
  void aTightLoopOnBReachesASubscriberOnAOnceAndInOrderWithinTheWindow() {
    Subscriber subscriber = subscribeOnA();
    PublishWindows windows = PublishWindows.of(b.vertx());
    int count = 100_000;
    int waited = publishInATightLoop(count, "");
    waitUntil("all " + count + " delivered (" + subscriber.received + " so far)", 60, () -> subscriber.received == count);
    assertEquals(List.of(), subscriber.faults, "each publication once, in order");
    assertTrue(windows.maxInFlight(a.nodeId()) <= PublishWindows.DEFAULT_WINDOW, "at most a window in flight towards A");
    assertTrue(windows.maxInFlight(a.nodeId()) > 0, "A's publications were counted");
    assertEquals(0, windows.refused());
    assertEquals(0, a.gateway().stats().publicationsDiscarded());
    System.out.println("[measured] " + count + " publications B -> A, most in flight " + windows.maxInFlight(a.nodeId())
      + ", held at the window " + waited + " times");
  }

  @Test
  void aSubscriberThatStopsReadingIsClosedByItsNodeAndHoldsNeitherThePublisherNorTheReaders() {
    Subscriber reader = subscribeOnA();
    WebSocket stopped = await(wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(a.gateway().port()).setURI("/ws")));
    Promise<Void> acked = Promise.promise();
    stopped.textMessageHandler(text -> acked.tryComplete());
    stopped.writeTextMessage(new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", TOPIC).put("id", "s").encode());
    await(acked.future());
    stopped.pause();

    // 300-byte frames: 30 MB, past what the socket buffers and the 1 MiB write queue hold
    int count = 100_000;
    publishInATightLoop(count, "x".repeat(200));
    waitUntil("the reader got all " + count + " (" + reader.received + ")", 60, () -> reader.received == count);
    assertEquals(List.of(), reader.faults, "each publication once, in order");
    assertEquals(1, a.gateway().stats().slowConsumerCloses(), "the one that stopped reading was closed 1013");
    assertEquals(0, PublishWindows.of(b.vertx()).refused());
  }

  /** Publishes {@code count} from B, waiting only for a future that is held; every one must be sent. Returns how often it waited. */
  private int publishInATightLoop(int count, String msg) {
    Backend backend = Backend.create(b.vertx(), "b");
    PublishWindows windows = PublishWindows.of(b.vertx());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int waited = 0;
    for (int i = 0; i < count; i++) {
      assertTrue(System.nanoTime() < deadline, "published " + i + " in 60 s");
      Future<Void> sent = backend.publish(TOPIC, 200, msg, i);
      if (!sent.isComplete()) {
        // held at the window: a publisher that respects its futures waits here, nothing is refused
        waited++;
        await(sent);
      }
      assertTrue(sent.succeeded(), "publication " + i + ": " + sent.cause());
      assertTrue(windows.inFlight(a.nodeId()) <= windows.window(), "within the window after " + i);
    }
    return waited;
  }

  @Test
  void aNodeThatCannotDeliverHoldsThePublisherAtItsWindowThenItsQueueThenFailsItsFutures() {
    Subscriber subscriber = subscribeOnA();
    Backend backend = Backend.create(b.vertx(), "b");
    PublishWindows windows = PublishWindows.of(b.vertx());
    int window = windows.window();
    int maxQueued = windows.maxQueued();
    int before = warmUp(backend, windows);
    blockEventLoopsOf(a);

    int count = 20_000;
    List<Future<Void>> futures = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      futures.add(backend.publish(TOPIC, 200, "", i));
    }
    // the rest of the window is sent, the queue fills, the rest is refused at once
    assertEquals(window, windows.inFlight(a.nodeId()));
    assertEquals(maxQueued, windows.queued());
    int sentAtOnce = 1 + window - before;
    int accepted = sentAtOnce + maxQueued;
    assertEquals(count - accepted, windows.refused());
    for (int i = 0; i < futures.size(); i++) {
      Future<Void> future = futures.get(i);
      int index = i + 1;
      if (index < sentAtOnce) {
        assertTrue(future.succeeded(), "sent within the window: " + index);
      } else if (index < accepted) {
        assertTrue(!future.isComplete(), "waits in the queue: " + index);
      } else {
        assertTrue(future.failed(), "refused: " + index);
        assertInstanceOf(PublicationRefused.class, future.cause());
      }
    }

    release.countDown();
    await(Future.all(futures.subList(0, accepted - 1)));
    waitUntil("the accepted " + accepted + " delivered (" + subscriber.received + ")", () -> subscriber.received == accepted);
    assertEquals(List.of(), subscriber.faults, "what was accepted arrives once, in order");
    assertTrue(windows.maxInFlight(a.nodeId()) <= window);
    waitUntil("all credited", () -> windows.queued() == 0);
  }

  @Test
  void aNodeKilledWithItsWindowFullHoldsThePublisherOnlyUntilItsMemberRemovedEvent() {
    subscribeOnA();
    Backend backend = Backend.create(b.vertx(), "b");
    PublishWindows windows = PublishWindows.of(b.vertx());
    int before = warmUp(backend, windows);
    blockEventLoopsOf(a);
    List<Future<Void>> futures = new ArrayList<>();
    for (int i = 1; i <= windows.window() - before + 100; i++) {
      futures.add(backend.publish(TOPIC, 200, "", i));
    }
    assertEquals(100, windows.queued(), "the window is full");

    long killedAtNanos = System.nanoTime();
    aKilled = true;
    a.hazelcast().getLifecycleService().terminate();
    await(Future.all(futures));
    long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAtNanos);
    assertTrue(heldMs < 5_000, "held " + heldMs + " ms after the kill");
    assertEquals(0, windows.inFlight(a.nodeId()), "nothing counted for the dead node");
    System.out.println("[measured] publisher held " + heldMs + " ms after the kill of the node with its window full");
  }

  /**
   * Publication 0, and A known as a node the topic's publications count towards (the first
   * lookup of the registrations answered); returns what is in flight towards A then (0 or 1).
   */
  private int warmUp(Backend backend, PublishWindows windows) {
    await(backend.publish(TOPIC, 200, "", 0));
    waitUntil("A known for the topic", () -> windows.remoteNodes(TOPIC).contains(a.nodeId()));
    return windows.inFlight(a.nodeId());
  }

  /**
   * Blocks every event loop of {@code node} until the test releases them: its topic consumer, its
   * connections and its event-bus reader all stop, as on a node that cannot keep up at all.
   */
  private void blockEventLoopsOf(Node node) {
    List<EventExecutor> loops = new ArrayList<>();
    ((VertxInternal) node.vertx()).nettyEventLoopGroup().forEach(loops::add);
    CountDownLatch blocked = new CountDownLatch(loops.size());
    for (EventExecutor loop : loops) {
      loop.execute(() -> {
        blocked.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    try {
      assertTrue(blocked.await(10, TimeUnit.SECONDS), "A's event loops blocked");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** A WebSocket subscriber on A that reads everything and checks each {@code data} is the next number. */
  private Subscriber subscribeOnA() {
    Subscriber subscriber = new Subscriber();
    WebSocket ws = await(wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(a.gateway().port()).setURI("/ws")));
    Promise<Void> acked = Promise.promise();
    ws.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      if ("ack".equals(frame.getString("action"))) {
        acked.tryComplete();
      } else if ("pub".equals(frame.getString("action"))) {
        subscriber.receive(frame.getInteger("data"));
      }
    });
    ws.closeHandler(v -> subscriber.faults.add("closed " + ws.closeStatusCode()));
    ws.writeTextMessage(new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", TOPIC).put("id", "s").encode());
    await(acked.future());
    waitUntil("B sees A's consumer", () -> await(b.nodesRegisteredFor("topic." + TOPIC)).contains(a.nodeId()));
    return subscriber;
  }

  private static final class Subscriber {
    volatile int received;
    final List<String> faults = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** On the client's event loop. */
    void receive(int data) {
      if (data != received && faults.size() < 10) {
        faults.add("got " + data + " when " + received + " was next");
      }
      received++;
    }
  }
}
