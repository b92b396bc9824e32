package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.pub;

/** Frames and waits of the v2 protocol (history, recovery, presence) for tests. */
public final class V2Frames {

  private V2Frames() {
  }

  public static JsonObject sub(String topic, Object id, JsonObject since) {
    JsonObject frame = new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", new JsonArray().add(topic)).put("id", id);
    return since == null ? frame : frame.put("since", since);
  }

  public static JsonObject since(String topic, long offset, String epoch) {
    return new JsonObject().put(topic, new JsonObject().put("offset", offset).put("epoch", epoch));
  }

  /** The ack of the frame with this id. */
  public static JsonObject ackOf(TestClient client, Object id) {
    return await(client.nextMatching(f -> "ack".equals(f.getString("action")) && id.equals(f.getValue("id"))));
  }

  /** The next publication on {@code topic}. */
  public static JsonObject nextPub(TestClient client, String topic) {
    return await(client.nextMatching(f -> "pub".equals(f.getString("action")) && topic.equals(f.getString("topic"))));
  }

  /** Publishes {@code from..to} (the data is the number) with ids and waits for every ack: all are stored. */
  public static void publishAcked(TestClient publisher, String topic, int from, int to) {
    for (int i = from; i <= to; i++) {
      publisher.send(pub(topic, i).put("id", topic + "/" + i));
    }
    for (int i = from; i <= to; i++) {
      assertEquals(200, ackOf(publisher, topic + "/" + i).getInteger("code"));
    }
  }

  /** Offsets {@code from..to} on the topic, each once, in order, each carrying its own number as data. */
  public static void assertStream(TestClient client, String topic, long from, long to) {
    for (long expected = from; expected <= to; expected++) {
      JsonObject frame = nextPub(client, topic);
      assertEquals(expected, frame.getLong("offset"), topic + ": consecutive offsets");
      assertEquals(expected, frame.getLong("data"));
    }
  }

  public static JsonObject presence(TestClient client, String topic) {
    String id = "p" + System.nanoTime();
    client.send(new JsonObject().put("mode", "pub_sub").put("action", "presence").put("topic", topic).put("id", id));
    return ackOf(client, id);
  }
}
