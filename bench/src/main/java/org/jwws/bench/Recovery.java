package org.jwws.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recovery: N subscribers of a history topic go away, M publications are made meanwhile, and
 * all N come back at once with {@code since}: how long until every one has caught up, what
 * the server spent, and whether any publication was lost, repeated or out of order.
 */
final class Recovery {

  static final String TOPIC = "recover.room";

  private Recovery() {
  }

  static Measure run(Vertx vertx, int subscribers, int missed, ServerProcess server) throws Exception {
    // where the stream stands before the subscribers leave
    Clients probe = new Clients(vertx, server.port(), 1);
    WebSocket publisher = Fanout.await(probe.open(1)).get(0);
    JsonObject ack = Fanout.await(acked(publisher, new JsonObject().put("mode", "pub_sub").put("action", "sub")
      .put("topic", new JsonArray().add(TOPIC)), "start"));
    JsonObject since = new JsonObject().put(TOPIC, ack.getJsonObject("position").getJsonObject(TOPIC));
    long from = since.getJsonObject(TOPIC).getLong("offset");
    for (int i = 1; i <= missed; i++) {
      Fanout.await(acked(publisher, new JsonObject().put("mode", "pub_sub").put("action", "pub").put("topic", TOPIC)
        .put("data", "x".repeat(100)), "p" + i));
    }
    long last = from + missed;

    Clients clients = new Clients(vertx, server.port(), subscribers);
    double cpuBefore = server.cpuSeconds();
    long start = System.nanoTime();
    List<WebSocket> sockets = Fanout.await(clients.open(subscribers));
    AtomicInteger recovered = new AtomicInteger();
    AtomicInteger faults = new AtomicInteger();
    List<Future<Void>> caughtUp = new ArrayList<>();
    for (WebSocket socket : sockets) {
      Promise<Void> done = Promise.promise();
      caughtUp.add(done.future());
      long[] expected = {from + 1};
      socket.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        if ("ack".equals(frame.getString("action"))) {
          if (frame.getJsonObject("recovered", new JsonObject()).getBoolean(TOPIC, false)) {
            recovered.incrementAndGet();
          }
          return;
        }
        if (frame.getLong("offset", 0L) != expected[0]++) {
          faults.incrementAndGet();
        }
        if (frame.getLong("offset", 0L) >= last) {
          done.tryComplete();
        }
      });
      socket.writeTextMessage(new JsonObject().put("mode", "pub_sub").put("action", "sub")
        .put("topic", new JsonArray().add(TOPIC)).put("since", since).put("id", "r").encode());
    }
    Fanout.await(Future.all(caughtUp));
    double seconds = (System.nanoTime() - start) / 1e9;
    double serverCpu = server.cpuSeconds() - cpuBefore;
    Measure measure = new Measure()
      .put("subscribers", subscribers)
      .put("missed_each", missed)
      .put("catch_up_ms", seconds * 1000)
      .put("replayed_per_s", (double) subscribers * missed / seconds)
      .put("server_cpu_s", serverCpu)
      .put("server_cpu_us_per_replayed", serverCpu / ((double) subscribers * missed) * 1e6)
      .put("recovered", recovered.get())
      .put("faults", faults.get());
    Fanout.await(clients.close());
    Fanout.await(probe.close());
    return measure;
  }

  /** Sends a frame with an id and completes with its ack. */
  private static Future<JsonObject> acked(WebSocket socket, JsonObject frame, String id) {
    Promise<JsonObject> ack = Promise.promise();
    socket.textMessageHandler(text -> {
      JsonObject answer = new JsonObject(text);
      if ("ack".equals(answer.getString("action")) && id.equals(answer.getValue("id"))) {
        ack.tryComplete(answer);
      }
    });
    socket.writeTextMessage(frame.put("id", id).encode());
    return ack.future();
  }
}
