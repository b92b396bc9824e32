package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * Clients that stop reading cost the node a bounded amount of memory and the other
 * subscribers nothing.
 */
class SlowConsumerTest extends GatewayTestBase {

  private static final int WRITE_QUEUE = 256 * 1024;
  private static final int PAYLOAD = 16 * 1024;
  /** 50 MB published in all. */
  private static final int PUBLICATIONS = 50 * 1024 * 1024 / PAYLOAD;
  /** Heap after GC and direct buffers in use, measured after the run, for the whole test JVM. */
  private static final long HEAP_BOUND = 64L * 1024 * 1024;
  private static final long DIRECT_BOUND = 32L * 1024 * 1024;
  private static final long DELIVERY_SECONDS = 90;

  @Override
  protected GatewayOptions options() {
    // One event loop, as this test always had in effect (until port 0 was shared by the
    // instances, every connection landed on the first): 2.5 GB of frames over two server
    // loops on a loaded 2-core machine starve the readers' loops. Ping and pong timeouts well
    // above the time the stalled reader's queue takes to fill: a peer whose writes stop
    // completing is also cut after ping + pong timeout (without a 1013), and readers whose
    // pongs are slow on a loaded machine must not be cut for it
    return super.options().setInstances(1).setMaxWriteQueueBytes(WRITE_QUEUE).addDropOldestTopic("stale.*")
      .setPingIntervalMs(15_000).setPongTimeoutMs(15_000);
  }

  @Test
  void readerThatNeverReadsIsClosedAndFiftyOthersGetFiftyMegabytesInOrder() {
    List<Future<Integer>> readers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      readers.add(countInOrder(client(), "big", PUBLICATIONS));
    }
    TestClient stalled = client();
    await(stalled.subscribe("big"));
    stalled.socket().pause();

    publish("big", PUBLICATIONS);
    for (Future<Integer> reader : readers) {
      assertEquals(PUBLICATIONS, awaitDelivered(reader));
    }
    // closed with 1013, then gone once the close handshake it never answers times out
    waitUntil("the stalled reader is closed: " + gateway.stats(), DELIVERY_SECONDS, () -> gateway.stats().connections() == 51);
    assertEquals(1, gateway.stats().slowConsumerCloses());
    assertEquals(0, gateway.stats().publicationsDropped());
    assertMemoryBounded();
  }

  @Test
  void dropOldestTopicKeepsTheStalledReaderAndItsNewestPublications() {
    Future<Integer> reader = countInOrder(client(), "stale.prices", 640);
    TestClient stalled = client();
    await(stalled.subscribe("stale.prices"));
    stalled.socket().pause();

    publish("stale.prices", 640);
    assertEquals(640, awaitDelivered(reader));
    assertTrue(gateway.stats().publicationsDropped() > 0, "stale publications were dropped");
    assertEquals(0, gateway.stats().slowConsumerCloses());

    // once it reads again it gets what was kept, in order, ending with the newest
    List<Integer> seen = new ArrayList<>();
    Promise<Void> gotNewest = Promise.promise();
    stalled.socket().textMessageHandler(text -> {
      seen.add(sequence(text));
      if (sequence(text) == 639) {
        gotNewest.tryComplete();
      }
    });
    stalled.socket().resume();
    await(gotNewest.future());
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i) > seen.get(i - 1), "in order: " + seen);
    }
    assertTrue(seen.size() < 640, "some were dropped");
  }

  /**
   * A reader's count. Acks come as soon as the node took a publication, so the deliveries
   * (2.5 GB of frames across two event loops of a 2-core machine shared with other builds)
   * may still be under way long after the last ack: a wider bound than {@link TestClient#AWAIT_SECONDS}.
   */
  private static int awaitDelivered(Future<Integer> reader) {
    try {
      return reader.toCompletionStage().toCompletableFuture().get(DELIVERY_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not delivered within " + DELIVERY_SECONDS + " s: " + e, e);
    }
  }

  /** Publishes {@code count} padded publications, at most 32 unacknowledged at a time. */
  private void publish(String topic, int count) {
    TestClient publisher = client();
    String pad = "x".repeat(PAYLOAD);
    int window = 32;
    List<Future<JsonObject>> acks = new ArrayList<>();
    for (int seq = 0; seq < count; seq++) {
      publisher.send(TestClient.pub(topic, new JsonObject().put("seq", seq).put("pad", pad)).put("id", seq));
      int id = seq;
      acks.add(publisher.nextMatching(f -> "ack".equals(f.getString("action")) && f.getInteger("id") == id));
      if (acks.size() == window) {
        await(Future.all(acks));
        acks.clear();
      }
    }
    await(Future.all(acks));
  }

  /** Subscribes and completes with the count once {@code count} publications arrived in order. */
  private Future<Integer> countInOrder(TestClient client, String topic, int count) {
    await(client.subscribe(topic));
    Promise<Integer> done = Promise.promise();
    client.closed().onSuccess(code -> done.tryFail("reader closed with " + code));
    AtomicInteger next = new AtomicInteger();
    client.socket().textMessageHandler(text -> {
      int seq = sequence(text);
      if (seq != next.get()) {
        done.tryFail("expected publication " + next.get() + ", got " + seq);
      } else if (next.incrementAndGet() == count) {
        done.tryComplete(count);
      }
    });
    return done.future();
  }

  /** The {@code seq} of a publication, read without parsing 16 KiB of JSON per frame. */
  private static int sequence(String text) {
    int at = text.indexOf("\"seq\":") + 6;
    int end = at;
    while (Character.isDigit(text.charAt(end))) {
      end++;
    }
    return Integer.parseInt(text.substring(at, end));
  }

  private static void assertMemoryBounded() {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
      .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    System.out.println("[measured] after 50 MB to 51 subscribers: heap after GC " + heap / 1024 / 1024
      + " MiB, direct buffers " + direct / 1024 / 1024 + " MiB");
    assertTrue(heap < HEAP_BOUND, "heap after GC " + heap);
    assertTrue(direct < DIRECT_BOUND, "direct buffers " + direct);
  }
}
