package org.jwws.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The soak's clients: one publisher numbering its publications, subscribers on every node, and
 * requesters keeping requests in flight on every node. A client whose node dies reconnects to a
 * live one. Every piece of state is touched from one event loop only.
 */
final class SoakTraffic {

  /** The soak's topic; the nodes keep its history (see {@link #HISTORY}). */
  static final String TOPIC = "soak";
  /** 200 s of publications at 50/s: far more than a reconnect misses. */
  static final String HISTORY = "[{\"topics\": \"" + TOPIC + "\", \"size\": 10000}]";
  /** Publications acknowledged this long before the publisher's node died may die with it. */
  private static final long AT_RISK_MS = 1_000;
  /** A request still open this long on a live connection counts as unanswered (timeout 30 s). */
  private static final long UNANSWERED_AFTER_MS = 40_000;
  private static final long RECONNECT_AFTER_MS = 300;

  private final Vertx vertx;
  private final Supplier<List<Integer>> livePorts;
  private final Soak.Plan plan;
  private final Context context;
  private final WebSocketClient client;
  private final Random random = new Random(7);
  private final BitSet acked = new BitSet();
  private final BitSet atRisk = new BitSet();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final List<Requester> requesters = new ArrayList<>();
  private final Histogram latencyMicros = Measure.latencyHistogram();
  private final Map<Integer, Long> answeredByCode = new TreeMap<>();
  private Publisher publisher;
  private int published;
  private long delivered;
  private long cut;
  private long unanswered;
  private long recovered;
  private long notRecovered;
  private boolean stopped;

  SoakTraffic(Vertx vertx, Supplier<List<Integer>> livePorts, Soak.Plan plan) {
    this.vertx = vertx;
    this.livePorts = livePorts;
    this.plan = plan;
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1_000).setConnectTimeout(5_000));
  }

  /** Connects everyone; completes once every subscriber holds its subscription. */
  Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      List<Future<Void>> subscribed = new ArrayList<>();
      for (int node = 0; node < 3; node++) {
        for (int i = 0; i < plan.subscribersPerNode(); i++) {
          Subscriber subscriber = new Subscriber(node);
          subscribers.add(subscriber);
          subscribed.add(subscriber.firstAck.future());
        }
        requesters.add(new Requester(node));
      }
      Future.all(subscribed).onComplete(all -> {
        publisher = new Publisher(2);
        vertx.setPeriodic(1_000, id -> sweepUnanswered());
        started.handle(all.mapEmpty());
      });
    });
    return started.future();
  }

  /** Stops publishing and requesting, lets what is on the way arrive, then closes everyone. */
  Future<Void> stop() {
    Promise<Void> stoppedPromise = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      vertx.setTimer(3_000, id -> {
        List<Future<Void>> closed = new ArrayList<>();
        subscribers.forEach(subscriber -> closed.add(subscriber.close()));
        requesters.forEach(requester -> closed.add(requester.close()));
        closed.add(publisher.close());
        Future.join(closed).onComplete(all -> stoppedPromise.complete());
      });
    });
    return stoppedPromise.future();
  }

  /** The counts so far, for a sample line; read on the traffic's loop. */
  String counts() {
    return Soak.await(Future.future(promise -> context.runOnContext(v -> promise.complete(String.format(
      "published %d delivered %d answered %s cut %d unanswered %d", published, delivered, answeredByCode, cut, unanswered)))));
  }

  Totals totals() {
    return Soak.await(Future.future(promise -> context.runOnContext(v -> promise.complete(computeTotals()))));
  }

  private Totals computeTotals() {
    long lost = 0;
    long lostWithPublisher = 0;
    long duplicated = 0;
    long reordered = 0;
    long missedReconnecting = 0;
    for (Subscriber subscriber : subscribers) {
      Session previous = null;
      for (Session session : subscriber.sessions) {
        duplicated += session.duplicated;
        reordered += session.reordered;
        if (session.first < 0) {
          continue;
        }
        for (int seq = session.first; seq <= session.last; seq++) {
          if (acked.get(seq) && !session.seen.get(seq)) {
            if (atRisk.get(seq)) {
              lostWithPublisher++;
            } else {
              lost++;
            }
          }
        }
        if (previous != null && previous.last >= 0 && session.first > previous.last + 1) {
          missedReconnecting += acked.get(previous.last + 1, session.first).cardinality();
        }
        previous = session;
      }
    }
    long answered = answeredByCode.values().stream().mapToLong(Long::longValue).sum();
    return new Totals(published, delivered, lost, duplicated, reordered, lostWithPublisher, missedReconnecting, recovered,
      notRecovered, answered,
      answeredByCode.getOrDefault(503, 0L), new TreeMap<>(answeredByCode), cut, unanswered,
      latencyMicros.getValueAtPercentile(99) / 1000.0, latencyMicros.getMaxValue() / 1000.0);
  }

  /** What the run comes to. */
  record Totals(long published, long delivered, long lost, long duplicated, long reordered, long lostWithPublisher,
                long missedReconnecting, long recovered, long notRecovered, long answered, long unavailable, Map<Integer, Long> answeredByCode, long cut,
                long unanswered, double p99Ms, double maxMs) {

    JsonObject toJson() {
      JsonObject codes = new JsonObject();
      answeredByCode.forEach((code, count) -> codes.put(Integer.toString(code), count));
      return new JsonObject().put("published", published).put("delivered", delivered).put("lost", lost)
        .put("duplicated", duplicated).put("reordered", reordered).put("lostWithPublisher", lostWithPublisher)
        .put("missedReconnecting", missedReconnecting).put("recovered", recovered).put("notRecovered", notRecovered)
        .put("answered", answered).put("answeredByCode", codes)
        .put("cut", cut).put("unanswered", unanswered).put("latencyP99Ms", p99Ms).put("latencyMaxMs", maxMs);
    }
  }

  /** Connects to the node at {@code preferred} the first time, afterwards to any live one; retries until stopped. */
  private void connect(int preferred, boolean first, java.util.function.Consumer<WebSocket> opened) {
    if (stopped) {
      return;
    }
    List<Integer> ports = livePorts.get();
    if (ports.isEmpty()) {
      vertx.setTimer(RECONNECT_AFTER_MS, id -> connect(preferred, first, opened));
      return;
    }
    int port = first ? ports.get(preferred % ports.size()) : ports.get(random.nextInt(ports.size()));
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
      .onSuccess(opened::accept)
      .onFailure(err -> vertx.setTimer(RECONNECT_AFTER_MS, id -> connect(preferred, false, opened)));
  }

  private void sweepUnanswered() {
    long now = System.nanoTime();
    for (Requester requester : requesters) {
      requester.pending.values().removeIf(sentAt -> {
        boolean overdue = (now - sentAt) / 1_000_000 > UNANSWERED_AFTER_MS;
        if (overdue) {
          unanswered++;
        }
        return overdue;
      });
    }
  }

  /** One connection's view of the topic: what it received, in which order. */
  private static final class Session {

    final BitSet seen = new BitSet();
    int first = -1;
    int last = -1;
    long duplicated;
    long reordered;

    void receive(int seq) {
      if (seen.get(seq)) {
        duplicated++;
        return;
      }
      seen.set(seq);
      if (first < 0) {
        first = seq;
      } else if (seq < last) {
        reordered++;
      }
      last = Math.max(last, seq);
    }
  }

  /**
   * A subscriber of the history topic: after a reconnect it subscribes with {@code since} the
   * last publication it received, as the JS client does, so that it misses nothing.
   */
  private final class Subscriber {

    final Promise<Void> firstAck = Promise.promise();
    final List<Session> sessions = new ArrayList<>();
    WebSocket ws;
    /** The offset and epoch of the last publication received, null before the first. */
    JsonObject position;

    Subscriber(int node) {
      connect(node, true, this::opened);
    }

    private void opened(WebSocket socket) {
      ws = socket;
      Session session = new Session();
      socket.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        if ("pub".equals(frame.getString("action"))) {
          delivered++;
          session.receive(frame.getInteger("data"));
          position = new JsonObject().put("offset", frame.getLong("offset")).put("epoch", frame.getString("epoch"));
        } else if ("ack".equals(frame.getString("action")) && frame.getInteger("code") == 200) {
          // counted from the ack on: before it, the subscription may not be live everywhere
          sessions.add(session);
          countRecovery(frame.getJsonObject("recovered"));
          firstAck.tryComplete();
        }
      });
      socket.closeHandler(v -> vertx.setTimer(RECONNECT_AFTER_MS, id -> connect(0, false, this::opened)));
      JsonObject sub = new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", TOPIC).put("id", "s");
      if (position != null) {
        sub.put("since", new JsonObject().put(TOPIC, position));
      }
      socket.writeTextMessage(sub.encode());
    }

    private void countRecovery(JsonObject outcome) {
      if (outcome == null) {
        return;
      }
      if (outcome.getBoolean(TOPIC, false)) {
        recovered++;
      } else {
        notRecovered++;
      }
    }

    Future<Void> close() {
      return ws == null ? Future.succeededFuture() : ws.close();
    }
  }

  private final class Publisher {

    /** Acknowledged sequence numbers with when, for the last {@link #AT_RISK_MS}. */
    final ArrayDeque<long[]> recentAcks = new ArrayDeque<>();
    WebSocket ws;

    Publisher(int node) {
      connect(node, true, this::opened);
      vertx.setPeriodic(Math.max(1, 1_000 / plan.publicationsPerS()), id -> publishNext());
    }

    private void opened(WebSocket socket) {
      socket.textMessageHandler(text -> {
        JsonObject ack = new JsonObject(text);
        if ("ack".equals(ack.getString("action")) && ack.getInteger("code") == 200) {
          int seq = Integer.parseInt(ack.getString("id"));
          acked.set(seq);
          long now = System.nanoTime();
          recentAcks.add(new long[]{seq, now});
          while (!recentAcks.isEmpty() && (now - recentAcks.peek()[1]) / 1_000_000 > AT_RISK_MS) {
            recentAcks.poll();
          }
        }
      });
      socket.closeHandler(v -> {
        ws = null;
        recentAcks.forEach(ack -> atRisk.set((int) ack[0]));
        recentAcks.clear();
        vertx.setTimer(RECONNECT_AFTER_MS, id -> connect(0, false, this::opened));
      });
      ws = socket;
    }

    private void publishNext() {
      if (stopped || ws == null) {
        return;
      }
      int seq = published++;
      ws.writeTextMessage(new JsonObject().put("mode", "pub_sub").put("action", "pub").put("topic", TOPIC)
        .put("code", 200).put("msg", "").put("data", seq).put("id", Integer.toString(seq)).encode());
    }

    Future<Void> close() {
      return ws == null ? Future.succeededFuture() : ws.close();
    }
  }

  private final class Requester {

    /** Open requests by id, with when each was sent. */
    final Map<String, Long> pending = new HashMap<>();
    WebSocket ws;
    int nextId;

    Requester(int node) {
      connect(node, true, this::opened);
    }

    private void opened(WebSocket socket) {
      ws = socket;
      socket.textMessageHandler(text -> {
        JsonObject res = new JsonObject(text);
        if (!"res".equals(res.getString("action")) || res.getBoolean("more", false)) {
          return;
        }
        Long sentAt = pending.remove(String.valueOf(res.getValue("id")));
        if (sentAt != null) {
          Measure.recordMicros(latencyMicros, sentAt, System.nanoTime());
          answeredByCode.merge(res.getInteger("code"), 1L, Long::sum);
        }
        sendNext();
      });
      socket.closeHandler(v -> {
        ws = null;
        cut += pending.size();
        pending.clear();
        vertx.setTimer(RECONNECT_AFTER_MS, id -> connect(0, false, this::opened));
      });
      for (int i = 0; i < plan.requestsInFlightPerNode(); i++) {
        sendNext();
      }
    }

    /** A sleep of 100 ms or an echo, alternately, spread by round-robin over every node's handlers. */
    private void sendNext() {
      if (stopped || ws == null || pending.size() >= plan.requestsInFlightPerNode()) {
        return;
      }
      String id = "q" + nextId++;
      JsonObject req = new JsonObject().put("mode", "req_res").put("action", "req").put("id", id);
      if (nextId % 2 == 0) {
        req.put("command", "sleep").put("kwargs", new JsonObject().put("ms", 100));
      } else {
        req.put("command", "echo").put("kwargs", new JsonObject().put("n", nextId));
      }
      pending.put(id, System.nanoTime());
      ws.writeTextMessage(req.encode());
    }

    Future<Void> close() {
      return ws == null ? Future.succeededFuture() : ws.close();
    }
  }
}
