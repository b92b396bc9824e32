package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.pub;
import static org.jwws.gateway.V2Frames.ackOf;
import static org.jwws.gateway.V2Frames.since;
import static org.jwws.gateway.V2Frames.sub;

/**
 * A replay of many times {@code maxWriteQueueBytes} follows the slow-consumer policy like any
 * other delivery: written as the client reads, so a reading client gets all of it and the live
 * ones after it, and one that stopped reading is closed 1013 (or loses its oldest on a
 * drop-oldest topic) while the node's other clients carry on.
 */
class ReplayPacingTest extends GatewayTestBase {

  private static final int WRITE_QUEUE = 64 * 1024;
  private static final int HELD = 3_000;
  /** Room for the held ones and the live ones of a test. */
  private static final int SIZE = 10_000;
  /**
   * About 4 KB a publication: the replay of all of them (12 MB) is 180 times the write queue,
   * and more than the socket buffers of the loopback interface take (up to 4 MB sent).
   */
  private static final String PAD = "x".repeat(4_000);
  /** Live publications a stalled reader is exposed to at most: far more than a socket buffers. */
  private static final int MAX_LIVE = 100_000;

  @Override
  protected GatewayOptions options() {
    return super.options().setMaxWriteQueueBytes(WRITE_QUEUE).addDropOldestTopic("stale.*")
      .addHistory(new HistoryRule("big.*", SIZE, 600_000))
      .addHistory(new HistoryRule("stale.*", SIZE, 600_000))
      // well above the time the tests stall a reader for: only the slow-consumer rule may cut it
      .setPingIntervalMs(60_000).setPongTimeoutMs(60_000);
  }

  @Test
  void aReplayOfHundredsOfWriteQueuesReachesAReadingClientWholeThenTheLiveOnes() {
    TestClient publisher = client();
    publishHeld(publisher, "big.a");
    TestClient reader = client();
    reader.send(sub("big.a", "s", since("big.a", 0, epoch(publisher, "big.a"))));
    // live ones keep coming while it replays: they wait, within the bound, and follow the replay
    publishLive(publisher, "big.a", HELD + 1, HELD + 300);
    JsonObject ack = ackOf(reader, "s");
    assertTrue(ack.getJsonObject("recovered").getBoolean("big.a"), ack.encode());
    assertConsecutive(offsetsUntil(reader, "big.a", HELD + 300), 1);
    assertEquals(0, gateway.stats().slowConsumerCloses());
    assertEquals(0, gateway.stats().publicationsDropped());
    assertTrue(reader.pending().isEmpty(), "nothing after the last: " + reader.pending().size());
  }

  @Test
  void aReaderOnASlowLinkGetsAllOfItAllTheSame() {
    TestClient publisher = client();
    publishHeld(publisher, "big.c");
    String epoch = epoch(publisher, "big.c");
    // it reads all the time, through a small socket buffer: written all at once, the replay
    // would find the write queue full and close it 1013
    TestClient reader = await(TestClient.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1")
      .setPort(gateway.port()).setURI("/ws"), new WebSocketClientOptions().setReceiveBufferSize(16 * 1024)));
    try {
      reader.send(sub("big.c", "s", since("big.c", 0, epoch)));
      publishLive(publisher, "big.c", HELD + 1, HELD + 300);
      assertTrue(ackOf(reader, "s").getJsonObject("recovered").getBoolean("big.c"));
      assertConsecutive(offsetsUntil(reader, "big.c", HELD + 300), 1);
      assertEquals(0, gateway.stats().slowConsumerCloses());
    } finally {
      await(reader.close());
    }
  }

  @Test
  void aReaderThatStopsDuringAReplayIsClosed1013AndTheOthersCarryOn() {
    TestClient publisher = client();
    publishHeld(publisher, "big.b");
    String epoch = epoch(publisher, "big.b");
    TestClient live = client();
    await(live.subscribe("big.b"));
    TestClient replayed = client();
    replayed.send(sub("big.b", "r", since("big.b", 0, epoch)));
    assertConsecutive(offsetsUntil(replayed, "big.b", HELD), 1);
    TestClient stalled = client();
    // it reads nothing from now on, not even the ack
    stalled.socket().pause();
    stalled.send(sub("big.b", "s", since("big.b", 0, epoch)));

    long last = publishUntil(publisher, "big.b", () -> gateway.stats().slowConsumerCloses() > 0);
    assertEquals(1, gateway.stats().slowConsumerCloses(), "the stalled one only");
    assertConsecutive(offsetsUntil(replayed, "big.b", last), HELD + 1);
    assertConsecutive(offsetsUntil(live, "big.b", last), HELD + 1);
    // reading again, it finds what was written before the close, then the 1013
    stalled.socket().resume();
    assertEquals((short) 1013, await(stalled.closed()));
    List<Long> before = new ArrayList<>();
    stalled.pending().stream().filter(f -> "pub".equals(f.getString("action"))).forEach(f -> before.add(f.getLong("offset")));
    System.out.println("[measured] the stalled reader got " + before.size() + " of " + last + " before its 1013");
    assertConsecutive(before, 1);
    assertTrue(before.size() < HELD, "the replay waited for it instead of piling up in the node");
    assertEquals(0, gateway.stats().publicationsDropped());
  }

  @Test
  void onADropOldestTopicAStalledReplayLosesItsOldestAndEndsWithTheNewest() {
    TestClient publisher = client();
    publishHeld(publisher, "stale.a");
    TestClient stalled = client();
    String epoch = epoch(publisher, "stale.a");
    stalled.socket().pause();
    stalled.send(sub("stale.a", "s", since("stale.a", 0, epoch)));
    long last = publishUntil(publisher, "stale.a", () -> gateway.stats().publicationsDropped() > 0);
    assertEquals(0, gateway.stats().slowConsumerCloses());

    List<Long> offsets = new ArrayList<>();
    Promise<Void> gotNewest = Promise.promise();
    stalled.socket().textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      if ("pub".equals(frame.getString("action"))) {
        offsets.add(frame.getLong("offset"));
        if (frame.getLong("offset") == last) {
          gotNewest.tryComplete();
        }
      }
    });
    stalled.socket().resume();
    await(gotNewest.future());
    for (int i = 1; i < offsets.size(); i++) {
      assertTrue(offsets.get(i) > offsets.get(i - 1), "in order, each once");
    }
    assertEquals(1L, offsets.get(0), "the replay began after since");
    assertTrue(offsets.size() < last, "the oldest not yet written were dropped: " + offsets.size() + " of " + last);
    stalled.socket().textMessageHandler(null);
    assertEquals(0, gateway.stats().slowConsumerCloses(), "kept");
  }

  /** Publishes 1..{@value #HELD} with about 1 KB each (data = the number), all acked: stored. */
  private static void publishHeld(TestClient publisher, String topic) {
    publish(publisher, topic, 1, HELD, PAD);
  }

  /** Small live publications {@code from..to}, acked. */
  private static void publishLive(TestClient publisher, String topic, long from, long to) {
    publish(publisher, topic, from, to, "");
  }

  /** At most 100 unacknowledged at a time. */
  private static void publish(TestClient publisher, String topic, long from, long to, String pad) {
    List<Future<JsonObject>> acks = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      String id = topic + "/" + n;
      publisher.send(pub(topic, n).put("pad", pad).put("id", id));
      acks.add(publisher.nextMatching(f -> "ack".equals(f.getString("action")) && id.equals(f.getValue("id"))));
      if (acks.size() == 100 || n == to) {
        await(Future.all(acks)).list().forEach(ack -> assertEquals(200, ((JsonObject) ack).getInteger("code")));
        acks.clear();
      }
    }
  }

  private static String epoch(TestClient client, String topic) {
    return HistoryTest.position(client, topic).getString("epoch");
  }

  /** Live publications after the held ones, 100 at a time until {@code done} (at most {@link #MAX_LIVE}); the last offset. */
  private long publishUntil(TestClient publisher, String topic, BooleanSupplier done) {
    long last = HELD;
    while (!done.getAsBoolean() && last < HELD + MAX_LIVE) {
      publishLive(publisher, topic, last + 1, last + 100);
      last += 100;
    }
    assertTrue(done.getAsBoolean(), "within " + MAX_LIVE + " live publications: " + gateway.stats());
    System.out.println("[measured] " + topic + ": " + (last - HELD) + " live publications until the stalled reader's rule applied");
    return last;
  }

  private static void assertConsecutive(List<Long> offsets, long first) {
    for (int i = 0; i < offsets.size(); i++) {
      assertEquals(first + i, offsets.get(i), "each once, in order");
    }
  }

  /** The offsets of the topic's publications as they came, until {@code last}; fails at once when the client is closed. */
  private static List<Long> offsetsUntil(TestClient client, String topic, long last) {
    List<Long> offsets = new ArrayList<>();
    long offset = 0;
    while (offset != last) {
      Future<JsonObject> next = client.nextMatching(f -> "pub".equals(f.getString("action")) && topic.equals(f.getString("topic")));
      await(Future.any(next, client.closed()));
      if (!next.isComplete()) {
        throw new AssertionError("closed with " + client.closed().result() + " after " + offsets.size() + " publications");
      }
      offset = next.result().getLong("offset");
      offsets.add(offset);
    }
    return offsets;
  }
}
