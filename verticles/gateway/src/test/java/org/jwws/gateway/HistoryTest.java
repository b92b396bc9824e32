package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Backend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.pub;
import static org.jwws.gateway.V2Frames.ackOf;
import static org.jwws.gateway.V2Frames.publishAcked;
import static org.jwws.gateway.V2Frames.since;
import static org.jwws.gateway.V2Frames.sub;

/**
 * History and recovery on a standalone node (history in memory): offsets and epochs on
 * delivered frames, {@code sub} with {@code since}, the {@code history} action, their edge cases.
 */
class HistoryTest extends GatewayTestBase {

  static final int SIZE = 5;

  @Override
  protected GatewayOptions options() {
    return super.options()
      .addHistory(new HistoryRule("short.*", SIZE, 300))
      .addHistory(new HistoryRule("chat.*", SIZE, 60_000))
      .addHistory(new HistoryRule("big.*", 1_000, 60_000));
  }

  static JsonObject nextPub(TestClient client) {
    return await(client.nextMatching(f -> "pub".equals(f.getString("action"))));
  }

  @Test
  void deliveredFramesCarryOffsetAndEpochAndTheAckThePosition() {
    TestClient subscriber = client();
    subscriber.send(sub("chat.a", "s1", null));
    JsonObject ack = ackOf(subscriber, "s1");
    JsonObject position = ack.getJsonObject("position").getJsonObject("chat.a");
    assertEquals(0L, position.getLong("offset"));
    String epoch = position.getString("epoch");
    assertNull(ack.getValue("recovered"), "no since, no recovered");
    publishAcked(client(), "chat.a", 1, 3);
    for (int i = 1; i <= 3; i++) {
      JsonObject frame = nextPub(subscriber);
      assertEquals(i, frame.getLong("offset"));
      assertEquals(epoch, frame.getString("epoch"));
      assertEquals(i, frame.getInteger("data"));
    }
  }

  @Test
  void subWithSinceReplaysWhatWasMissedThenContinuesLive() {
    TestClient publisher = client();
    TestClient first = client();
    first.send(sub("chat.b", "s1", null));
    String epoch = ackOf(first, "s1").getJsonObject("position").getJsonObject("chat.b").getString("epoch");
    publishAcked(publisher, "chat.b", 1, 2);
    assertEquals(2L, nextPub(first).getLong("offset") + 1);
    long last = nextPub(first).getLong("offset");
    await(first.close());
    publishAcked(publisher, "chat.b", 3, 5);

    TestClient back = client();
    back.send(sub("chat.b", "s2", since("chat.b", last, epoch)));
    JsonObject ack = ackOf(back, "s2");
    assertEquals(200, ack.getInteger("code"));
    assertTrue(ack.getJsonObject("recovered").getBoolean("chat.b"));
    // where this node's stream stood: 5, or below when the node's topic consumer had not yet
    // been handed the acked 3..5 (an event-bus task on another loop); they follow either way
    long position = ack.getJsonObject("position").getJsonObject("chat.b").getLong("offset");
    assertTrue(position >= last && position <= 5, "position " + position + " between since and the head");
    for (int i = 3; i <= 5; i++) {
      JsonObject frame = nextPub(back);
      assertEquals(i, frame.getLong("offset"));
      assertEquals(i, frame.getInteger("data"));
    }
    publishAcked(publisher, "chat.b", 6, 6);
    assertEquals(6L, nextPub(back).getLong("offset"));
  }

  @Test
  void sinceAtTheHeadRecoversWithNothingToReplay() {
    TestClient publisher = client();
    publishAcked(publisher, "chat.c", 1, 3);
    JsonObject head = position(client(), "chat.c");
    TestClient back = client();
    back.send(sub("chat.c", "s", since("chat.c", 3, head.getString("epoch"))));
    JsonObject ack = ackOf(back, "s");
    assertTrue(ack.getJsonObject("recovered").getBoolean("chat.c"));
    assertEquals(3L, ack.getJsonObject("position").getJsonObject("chat.c").getLong("offset"));
    publishAcked(publisher, "chat.c", 4, 4);
    assertEquals(4L, nextPub(back).getLong("offset"), "the next one live, nothing replayed before it");
  }

  @Test
  void sinceAheadOfTheHeadOrOfAnotherEpochIsNotRecovered() {
    TestClient publisher = client();
    publishAcked(publisher, "chat.d", 1, 2);
    String epoch = position(client(), "chat.d").getString("epoch");
    TestClient ahead = client();
    ahead.send(sub("chat.d", "s", since("chat.d", 9, epoch)));
    JsonObject ack = ackOf(ahead, "s");
    assertFalse(ack.getJsonObject("recovered").getBoolean("chat.d"));
    assertEquals(2L, ack.getJsonObject("position").getJsonObject("chat.d").getLong("offset"));

    TestClient otherEpoch = client();
    otherEpoch.send(sub("chat.d", "s", since("chat.d", 1, "not-" + epoch)));
    ack = ackOf(otherEpoch, "s");
    assertFalse(ack.getJsonObject("recovered").getBoolean("chat.d"));
    JsonObject position = ack.getJsonObject("position").getJsonObject("chat.d");
    assertEquals(2L, position.getLong("offset"));
    assertEquals(epoch, position.getString("epoch"));
    publishAcked(publisher, "chat.d", 3, 3);
    assertEquals(3L, nextPub(ahead).getLong("offset"), "live from the position on");
    assertEquals(3L, nextPub(otherEpoch).getLong("offset"), "live from the position on");
  }

  @Test
  void historyTrimmedBySizeIsNotRecovered() {
    TestClient publisher = client();
    publishAcked(publisher, "chat.e", 1, SIZE + 3);
    String epoch = position(client(), "chat.e").getString("epoch");
    TestClient back = client();
    back.send(sub("chat.e", "s", since("chat.e", 2, epoch)));
    JsonObject ack = ackOf(back, "s");
    assertFalse(ack.getJsonObject("recovered").getBoolean("chat.e"), "offset 3 is no longer held");
    assertEquals(SIZE + 3L, ack.getJsonObject("position").getJsonObject("chat.e").getLong("offset"));
    // the oldest held (4) is still recoverable from 3
    TestClient close = client();
    close.send(sub("chat.e", "s", since("chat.e", 3, epoch)));
    assertTrue(ackOf(close, "s").getJsonObject("recovered").getBoolean("chat.e"));
    for (long i = 4; i <= SIZE + 3; i++) {
      assertEquals(i, nextPub(close).getLong("offset"));
    }
  }

  @Test
  void historyTrimmedByTtlIsNotRecovered() {
    TestClient publisher = client();
    publishAcked(publisher, "short.a", 1, 2);
    TestClient reader = client();
    String epoch = position(reader, "short.a").getString("epoch");
    // the TTL is 300 ms: wait until the history holds nothing any more
    waitUntil("the history expired", () -> history(reader, "short.a", null).getJsonArray("data").isEmpty());
    TestClient back = client();
    back.send(sub("short.a", "s", since("short.a", 1, epoch)));
    JsonObject ack = ackOf(back, "s");
    assertFalse(ack.getJsonObject("recovered").getBoolean("short.a"));
    assertEquals(2L, ack.getJsonObject("position").getJsonObject("short.a").getLong("offset"));
  }

  @Test
  void historyActionAnswersHeldPublicationsOldestFirst() {
    TestClient publisher = client();
    publishAcked(publisher, "chat.f", 1, SIZE + 2);
    TestClient reader = client();
    JsonObject all = history(reader, "chat.f", null);
    assertEquals(200, all.getInteger("code"));
    List<Long> offsets = offsets(all.getJsonArray("data"));
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L), offsets, "the last " + SIZE);
    assertEquals(7, all.getJsonArray("data").getJsonObject(4).getInteger("data"));
    assertEquals(7L, all.getJsonObject("position").getJsonObject("chat.f").getLong("offset"));
    String epoch = all.getJsonObject("position").getJsonObject("chat.f").getString("epoch");

    reader.send(new JsonObject().put("mode", "pub_sub").put("action", "history").put("topic", "chat.f").put("id", "h2")
      .put("limit", 2).put("since", since("chat.f", 3, epoch)));
    JsonObject page = ackOf(reader, "h2");
    assertEquals(List.of(4L, 5L), offsets(page.getJsonArray("data")));
    assertTrue(page.getJsonObject("recovered").getBoolean("chat.f"));

    reader.send(new JsonObject().put("mode", "pub_sub").put("action", "history").put("topic", "plain").put("id", "h3"));
    JsonObject refused = ackOf(reader, "h3");
    assertEquals(400, refused.getInteger("code"));
    assertEquals(new JsonArray().add("plain"), refused.getJsonArray("topic"));
  }

  @Test
  void backendPublicationsOnHistoryTopicsGetOffsetsInTheirOrder() {
    TestClient subscriber = client();
    subscriber.send(sub("chat.g", "s", null));
    ackOf(subscriber, "s");
    Backend backend = Backend.create(vertx, "backend");
    for (int i = 1; i <= 20; i++) {
      backend.publish("chat.g", 200, "", i);
    }
    for (int i = 1; i <= 20; i++) {
      JsonObject frame = nextPub(subscriber);
      assertEquals(i, frame.getLong("offset"));
      assertEquals(i, frame.getInteger("data"));
      assertEquals("backend", frame.getString("src"));
    }
  }

  @Test
  void plainEventBusClientsAppendThroughTheDocumentedAddress() {
    TestClient subscriber = client();
    subscriber.send(sub("chat.i", "s", null));
    ackOf(subscriber, "s");
    // straight onto topic.<name>: no offset to deliver it at, dropped
    vertx.eventBus().publish("topic.chat.i", new JsonObject().put("data", "raw"));
    JsonObject reply = (JsonObject) await(vertx.eventBus().request("jw.history.append",
      new JsonObject().put("topic", "chat.i").put("data", "appended"))).body();
    assertEquals(1L, reply.getLong("offset"));
    JsonObject frame = nextPub(subscriber);
    assertEquals("appended", frame.getString("data"));
    assertEquals(1L, frame.getLong("offset"));
    assertEquals("pub_sub", frame.getString("mode"), "filled in as on topic.<name>");
    assertTrue(subscriber.pending().isEmpty(), "the raw one was not delivered");
  }

  @Test
  void badSinceShapesAre400AndTheConnectionStays() {
    TestClient client = client();
    List<Object> bad = List.of("x", 5, new JsonArray(), new JsonObject().put("chat.h", 3),
      since("chat.h", -1, "e"), new JsonObject().put("chat.h", new JsonObject().put("offset", 1.5).put("epoch", "e")),
      new JsonObject().put("chat.h", new JsonObject().put("offset", 1)), since("chat.h", 1, ""),
      since("other.topic", 1, "e"));
    int n = 0;
    for (Object since : bad) {
      String id = "b" + (n++);
      client.send(sub("chat.h", id, null).put("since", since));
      JsonObject ack = ackOf(client, id);
      assertEquals(400, ack.getInteger("code"), since + ": " + ack);
    }
    client.send(sub("plain", "np", since("plain", 1, "e")));
    assertEquals(400, ackOf(client, "np").getInteger("code"), "since on a topic without history");
    client.send(sub("chat.h", "ok", null));
    assertEquals(200, ackOf(client, "ok").getInteger("code"), "the connection still works");
    assertEquals(1, gateway.stats().subscriptions(), "no bad frame subscribed anything");
  }

  @Test
  void publicationsDuringAReplayAndSubUnsubAroundItLeaveNoGapNorDuplicate() {
    TestClient publisher = client();
    publishAcked(publisher, "big.a", 1, 300);
    String epoch = position(client(), "big.a").getString("epoch");
    TestClient back = client();
    // publications keep coming while the subscriber recovers, and it changes its mind twice
    for (int i = 301; i <= 600; i++) {
      publisher.send(pub("big.a", i));
    }
    back.send(sub("big.a", "s1", since("big.a", 100, epoch)));
    back.send(new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "big.a").put("id", "u1"));
    back.send(sub("big.a", "s2", since("big.a", 150, epoch)));
    for (int i = 601; i <= 700; i++) {
      publisher.send(pub("big.a", i));
    }
    publishAcked(publisher, "big.a", 701, 701);
    ackOf(back, "s1");
    ackOf(back, "u1");
    JsonObject ack = ackOf(back, "s2");
    assertTrue(ack.getJsonObject("recovered").getBoolean("big.a"), ack.encode());
    // what follows the last ack is the last subscription's stream: 151 to 701, once each, in order
    List<JsonObject> afterAck = new ArrayList<>();
    waitUntil("701 arrived", () -> {
      List<JsonObject> pending = back.pending();
      return !pending.isEmpty() && pending.get(pending.size() - 1).getLong("offset", 0L) == 701L;
    });
    List<JsonObject> pending = back.pending();
    int start = 0;
    // frames of the first subscription came before its unsub ack; skip up to the last ack
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).getLong("offset", 0L) == 151L) {
        start = i;
      }
    }
    afterAck.addAll(pending.subList(start, pending.size()));
    long expected = 151;
    for (JsonObject frame : afterAck) {
      assertEquals(expected++, frame.getLong("offset"), "consecutive offsets");
      assertEquals(frame.getLong("offset").intValue(), frame.getInteger("data"));
    }
    assertEquals(702, expected);
  }

  private static List<Long> offsets(JsonArray frames) {
    List<Long> offsets = new ArrayList<>();
    frames.forEach(frame -> offsets.add(((JsonObject) frame).getLong("offset")));
    return offsets;
  }

  static JsonObject history(TestClient client, String topic, Integer limit) {
    String id = "h" + System.nanoTime();
    JsonObject frame = new JsonObject().put("mode", "pub_sub").put("action", "history").put("topic", topic).put("id", id);
    if (limit != null) {
      frame.put("limit", limit);
    }
    client.send(frame);
    return ackOf(client, id);
  }

  static JsonObject position(TestClient client, String topic) {
    return history(client, topic, 1).getJsonObject("position").getJsonObject(topic);
  }
}
