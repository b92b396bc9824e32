package org.jwws.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jwws.shared.internal.Addresses;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jwws.gateway.HistoryTest.nextPub;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.V2Frames.ackOf;
import static org.jwws.gateway.V2Frames.sub;

/**
 * A node delivers a history topic in offset order whatever order the event bus brings: a
 * later offset waits for the earlier one, and one that never comes (its publisher died
 * between storing and publishing) is read from the history.
 */
@ExtendWith(VertxExtension.class)
class SequencerTest {

  private static final String TOPIC = "chat.order";
  private final MemoryHistoryStore store = new MemoryHistoryStore();
  private Vertx vertx;
  private Gateway gateway;
  private TestClient subscriber;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    gateway = await(Gateway.deploy(vertx, new GatewayOptions().setHost("127.0.0.1").setPort(0).setInstances(2)
      .addHistory(new HistoryRule("chat.*", 100, 60_000)), null, store, null));
    subscriber = await(TestClient.connect(vertx, gateway.port()));
    subscriber.send(sub(TOPIC, "s", null));
    assertEquals(200, ackOf(subscriber, "s").getInteger("code"));
  }

  @AfterEach
  void stop() {
    await(subscriber.close());
    await(gateway.close());
  }

  /** Stores frames as a publisher on another node would, and returns the epoch. */
  private HistoryStore.Appended append(int... data) {
    List<String> frames = new java.util.ArrayList<>();
    for (int value : data) {
      frames.add(TestClient.pub(TOPIC, value).encode());
    }
    return await(store.append(TOPIC, 100, frames, System.currentTimeMillis()));
  }

  private void publishOnTheBus(long offset, String epoch, int data) {
    String frame = TopicHistory.withOffset(TestClient.pub(TOPIC, data).encode(), offset, epoch);
    vertx.eventBus().publish(Addresses.topic(TOPIC), frame, TopicHistory.headers(offset, epoch));
  }

  @Test
  void framesArrivingOutOfOrderAreDeliveredInOffsetOrder() {
    HistoryStore.Appended stored = append(1, 2, 3);
    publishOnTheBus(3, stored.epoch, 3);
    publishOnTheBus(1, stored.epoch, 1);
    publishOnTheBus(2, stored.epoch, 2);
    for (long offset = 1; offset <= 3; offset++) {
      JsonObject frame = nextPub(subscriber);
      assertEquals(offset, frame.getLong("offset"));
      assertEquals(offset, frame.getLong("data"));
    }
  }

  @Test
  void anOffsetStoredButNeverPublishedIsReadFromTheHistory() {
    HistoryStore.Appended stored = append(1, 2);
    // the publisher of 1 died after storing it: only 2 is ever published
    publishOnTheBus(2, stored.epoch, 2);
    assertEquals(1L, nextPub(subscriber).getLong("offset"), "filled from the history after the wait");
    assertEquals(2L, nextPub(subscriber).getLong("offset"));
  }
}
