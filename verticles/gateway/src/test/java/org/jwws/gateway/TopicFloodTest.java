package org.jwws.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * A flood of publications that reaches a node faster than its topic consumer's event loop can
 * deliver: nothing is lost silently. Vert.x's consumer discards past 1,000 buffered messages
 * only while paused, and the topic consumer never is, so the flood reaches every subscriber;
 * what Vert.x does discard (a publication racing the unregistration) is counted and said.
 */
class TopicFloodTest extends GatewayTestBase {

  private static final int FLOOD = 5_000;
  private static final long STALL_MS = 500;
  /** Long enough for an unsub on the other loop under a loaded machine, short of Vert.x's blocked-thread warning. */
  private static final long RACE_STALL_MS = 1_500;
  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private final Logger registryLog = (Logger) LoggerFactory.getLogger(TopicRegistry.class);

  @Override
  protected GatewayOptions options() {
    // unregistered at once when the last subscriber leaves: the race with a flood is immediate
    return super.options().setTopicLingerMs(0);
  }

  @BeforeEach
  void captureWarnings() {
    warnings.start();
    registryLog.addAppender(warnings);
  }

  @AfterEach
  void releaseWarnings() {
    registryLog.detachAppender(warnings);
  }

  @Test
  void fiveThousandPublicationsWhileTheTopicLoopIsStalledReachEverySubscriberInOrder() {
    List<Future<Integer>> readers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      readers.add(countInOrder(client(), "flood"));
    }
    stall(gateway.topicRegistry().consumerContext("flood"), STALL_MS);
    Backend backend = Backend.create(vertx, "flooder");
    for (int i = 0; i < FLOOD; i++) {
      backend.publish("flood", 200, "", i);
    }
    for (Future<Integer> reader : readers) {
      assertEquals(FLOOD, await(reader));
    }
    GatewayStats stats = gateway.stats();
    assertEquals(FLOOD, stats.publicationsReceived());
    assertEquals(0, stats.publicationsDiscarded(), stats.toString());
    assertEquals(0, stats.slowConsumerCloses());
    assertEquals(0, gateway.report().getJsonObject("stats").getLong("publicationsDiscarded"));
  }

  @Test
  void publicationsRacingTheUnregistrationAreCountedAndWarnedAboutOnce() {
    // a node of its own with exactly two event loops, one per gateway instance: the stalled
    // loop must hold up only the node, never the test's clients
    Vertx nodeVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      raceTheUnregistration(nodeVertx, await(Gateway.deploy(nodeVertx, options())));
    } finally {
      await(nodeVertx.close());
    }
  }

  private void raceTheUnregistration(Vertx nodeVertx, Gateway node) {
    // the topic's consumer runs on the loop of its first subscriber; the last to leave is on the other loop
    TestClient first = await(TestClient.connect(vertx, node.port()));
    await(first.subscribe("race"));
    Thread consumerThread = threadOf(node.topicRegistry().consumerContext("race"));
    TestClient last = null;
    for (int i = 0; i < 8 && last == null; i++) {
      TestClient candidate = await(TestClient.connect(vertx, node.port()));
      await(candidate.subscribe("probe-" + i));
      if (threadOf(node.topicRegistry().consumerContext("probe-" + i)) != consumerThread) {
        last = candidate;
      }
    }
    assertNotNull(last, "a connection on the other event loop");
    await(last.subscribe("race"));
    first.send(new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "race").put("id", "u"));
    await(first.nextMatching(f -> "ack".equals(f.getString("action"))));

    // publications queue behind the stalled consumer loop; the last subscriber leaves meanwhile
    Promise<Void> released = stall(node.topicRegistry().consumerContext("race"), RACE_STALL_MS);
    Backend backend = Backend.create(nodeVertx, "racer");
    int queued = 100;
    for (int i = 0; i < queued; i++) {
      backend.publish("race", 200, "", i);
    }
    last.send(new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "race").put("id", "u"));
    await(last.nextMatching(f -> "ack".equals(f.getString("action"))));
    assertFalse(released.future().isComplete(), "the machine is too slow: the stall ended before the unsub");
    await(released.future());

    waitUntil("every queued publication is counted: " + node.stats(), () -> node.stats().publicationsDiscarded() == queued);
    List<ILoggingEvent> warned = new ArrayList<>(warnings.list);
    assertEquals(1, warned.size(), "one warning, not one per publication: " + warned);
    assertEquals(Level.WARN, warned.get(0).getLevel());
    assertTrue(warned.get(0).getFormattedMessage().contains("race"), warned.get(0).getFormattedMessage());
    assertTrue(last.pending().stream().noneMatch(f -> "race".equals(f.getString("topic"))), "nothing after the unsub ack");
  }

  /** Keeps {@code loop} busy for {@code ms}, returning once it began with a promise of its end. */
  private static Promise<Void> stall(Context loop, long ms) {
    Promise<Void> began = Promise.promise();
    Promise<Void> ended = Promise.promise();
    loop.runOnContext(v -> {
      began.complete();
      long until = System.nanoTime() + ms * 1_000_000;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      ended.complete();
    });
    await(began.future());
    return ended;
  }

  /** The event-loop thread of {@code context} (contexts of one loop are many: handlers run on duplicates). */
  private static Thread threadOf(Context context) {
    Promise<Thread> thread = Promise.promise();
    context.runOnContext(v -> thread.complete(Thread.currentThread()));
    return await(thread.future());
  }

  /** Subscribes and completes with the count once {@link #FLOOD} publications arrived in order. */
  private static Future<Integer> countInOrder(TestClient client, String topic) {
    await(client.subscribe(topic));
    Promise<Integer> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    client.socket().textMessageHandler(text -> {
      int seq = new JsonObject(text).getInteger("data");
      if (seq != next.get()) {
        done.tryFail("expected publication " + next.get() + ", got " + seq);
      } else if (next.incrementAndGet() == FLOOD) {
        done.tryComplete(FLOOD);
      }
    });
    return done.future();
  }
}
