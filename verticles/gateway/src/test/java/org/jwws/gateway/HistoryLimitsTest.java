package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.V2Frames.ackOf;
import static org.jwws.gateway.V2Frames.publishAcked;

/** What one connection's history reads may cost: a few in flight, answers bounded like the write queue. */
@ExtendWith(VertxExtension.class)
class HistoryLimitsTest {

  private static final int WRITE_QUEUE = 16 * 1024;
  private Vertx vertx;
  private Gateway gateway;
  private TestClient client;
  private volatile long delayMs;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    HistoryStore memory = new MemoryHistoryStore();
    // a store that answers positions late, as a busy cluster would
    HistoryStore slow = new HistoryStore() {
      @Override
      public Future<Appended> append(String topic, int size, List<String> frames, long timeMs) {
        return memory.append(topic, size, frames, timeMs);
      }

      @Override
      public Future<Position> position(String topic, int size) {
        if (delayMs == 0) {
          return memory.position(topic, size);
        }
        Promise<Position> later = Promise.promise();
        vertx.setTimer(delayMs, id -> memory.position(topic, size).onComplete(later));
        return later.future();
      }

      @Override
      public Future<List<Stored>> read(String topic, int size, long fromOffset, int max) {
        return memory.read(topic, size, fromOffset, max);
      }
    };
    gateway = await(Gateway.deploy(vertx, new GatewayOptions().setHost("127.0.0.1").setPort(0).setInstances(1)
      .setMaxWriteQueueBytes(WRITE_QUEUE).addHistory(new HistoryRule("chat.*", 100, 60_000)), null, slow, null));
    client = await(TestClient.connect(vertx, gateway.port()));
  }

  @AfterEach
  void stop() {
    await(client.close());
    await(gateway.close());
  }

  private void history(String id) {
    client.send(new JsonObject().put("mode", "pub_sub").put("action", "history").put("topic", "chat.a").put("id", id));
  }

  @Test
  void moreThanFourReadsInFlightAre429() {
    publishAcked(client, "chat.a", 1, 1);
    delayMs = 500;
    for (int i = 0; i < 6; i++) {
      history("h" + i);
    }
    int ok = 0;
    int tooMany = 0;
    for (int i = 0; i < 6; i++) {
      int code = ackOf(client, "h" + i).getInteger("code");
      ok += code == 200 ? 1 : 0;
      tooMany += code == 429 ? 1 : 0;
    }
    assertEquals(OpenQueries.MAX_OPEN_QUERIES, ok);
    assertEquals(2, tooMany);
    delayMs = 0;
    history("after");
    assertEquals(200, ackOf(client, "after").getInteger("code"), "answered reads free their slot");
  }

  @Test
  void anAnswerHoldsNoMoreThanTheWriteQueueBound() {
    String big = "x".repeat(4_000);
    for (int i = 0; i < 10; i++) {
      client.send(TestClient.pub("chat.a", big).put("id", "p" + i));
      ackOf(client, "p" + i);
    }
    history("h");
    JsonObject answer = ackOf(client, "h");
    int held = answer.getJsonArray("data").size();
    assertTrue(held > 0 && held < 10, "cut at the bound: " + held);
    assertEquals(1L, answer.getJsonArray("data").getJsonObject(0).getLong("offset"), "oldest first: page on with since");
    assertEquals(10L, answer.getJsonObject("position").getJsonObject("chat.a").getLong("offset"));
  }
}
