package org.jwws.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.NodeHttp;
import org.jwws.gateway.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.GatewayTestBase.waitUntil;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.req;

/**
 * Three nodes in JVMs of their own, as a user runs them, under load: a publisher on node 3,
 * subscribers on nodes 1 and 2, requests, progress streams and dialogues from clients of nodes
 * 1 and 3 served round-robin by the handlers of all three. Node 2 is killed with SIGKILL in the
 * middle. What the survivors' clients must see: every publication, in order; every request
 * answered, those that died with node 2 within seconds and not at their timeout; and the
 * survivors' logs free of ERROR lines and stack traces.
 */
class FailoverIT {

  private static final int PUBLICATIONS = 1_200;
  private static final int KILL_AFTER = 300;
  /** One publication every 12 ms: about 80/s, under the default publish rate of 100/s. */
  private static final long PUBLISH_EVERY_MS = 12;
  /** From the kill: the member is noticed within about 1 s (CLUSTER-NOTES), then at most 2 s to answer. */
  private static final long ANSWER_BOUND_AFTER_KILL_MS = 5_000;

  private final String cluster = ClusterNodes.newClusterName();
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<TestClient> clients = new ArrayList<>();
  private final Vertx clientVertx = Vertx.vertx();
  private final HttpClient http = clientVertx.createHttpClient();

  @AfterEach
  void stopAll() throws Exception {
    await(Future.join(clients.stream().map(TestClient::close).toList()).otherwiseEmpty());
    for (NodeProcess node : nodes) {
      node.close();
    }
    await(clientVertx.close());
  }

  @Test
  void killedNodeCostsTheSurvivorsNothingAndTheirLogsStayClean() throws Exception {
    for (int i = 0; i < 3; i++) {
      nodes.add(NodeProcess.start("--cluster", "--cluster-name", cluster, "--host", "127.0.0.1", "--port", "0"));
    }
    int[] ports = new int[3];
    for (int i = 0; i < 3; i++) {
      ports[i] = nodes.get(i).awaitReady();
    }

    TestClient subscriberOn1 = client(ports[0]);
    TestClient subscriberOn2 = client(ports[1]);
    TestClient publisherOn3 = client(ports[2]);
    TestClient requesterOn1 = client(ports[0]);
    TestClient requesterOn3 = client(ports[2]);
    waitUntil("nodes 1 and 3 list all three nodes", () -> clusterSeenBy(ports[0]) == 3 && clusterSeenBy(ports[2]) == 3);
    assertEquals(200, await(subscriberOn1.subscribe("feed")).getInteger("code"));
    assertEquals(200, await(subscriberOn2.subscribe("feed")).getInteger("code"));

    // conversations held open across the kill: some of them on node 2's handlers
    List<Future<JsonObject>> dialogues = new ArrayList<>();
    List<Future<JsonObject>> streams = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requesterOn1.send(req("dialogue", "d" + i, new JsonObject()));
      dialogues.add(requesterOn1.finalResponse("d" + i));
      requesterOn3.send(req("progress", "p" + i, new JsonObject().put("steps", 60).put("interval_ms", 200)));
      streams.add(requesterOn3.finalResponse("p" + i));
    }

    RequestLoad load1 = new RequestLoad(requesterOn1, "a");
    RequestLoad load3 = new RequestLoad(requesterOn3, "b");
    Promise<Long> killed = Promise.promise();
    Future<Void> published = publish(publisherOn3, killed);
    long killedAtNanos = await(killed.future());
    long killedAtMs = TimeUnit.NANOSECONDS.toMillis(killedAtNanos);

    // every publication reaches the survivor's subscriber exactly once, in order
    for (int i = 0; i < PUBLICATIONS; i++) {
      JsonObject frame = await(subscriberOn1.next());
      assertEquals(i, frame.getInteger("data"), "publication " + i + " in order, no gap: " + frame.encode());
    }
    await(published);
    load1.stop();
    load3.stop();
    System.out.println("[measured] slowest answer after the kill: " + List.of(load1, load3).stream()
      .flatMap(load -> load.answers().values().stream()).filter(a -> a[0] <= killedAtMs + 1_000)
      .mapToLong(a -> a[1] - Math.max(a[0], killedAtMs)).max().orElse(0) + " ms");
    for (int i : new int[]{0, 2}) {
      List<String> errors = nodes.get(i).errorLines();
      System.out.println("[measured] node " + (i + 1) + " (" + nodes.get(i).log() + "): " + errors.size() + " ERROR/stack lines"
        + (errors.isEmpty() ? "" : ", first: " + errors.subList(0, Math.min(8, errors.size()))));
    }

    for (RequestLoad load : List.of(load1, load3)) {
      try {
        await(load.allAnswered());
      } catch (AssertionError unanswered) {
        throw new AssertionError("unanswered (id=ms sent after the kill): " + load.unanswered(killedAtMs), unanswered);
      }
      assertTrue(load.sent() > 50, "the load ran: " + load.sent());
      for (Map.Entry<String, long[]> answer : load.answers().entrySet()) {
        long sentMs = answer.getValue()[0];
        long answeredMs = answer.getValue()[1];
        int code = (int) answer.getValue()[2];
        assertTrue(code == 200 || code == 503, "request " + answer.getKey() + " answered " + code);
        long boundMs = Math.max(sentMs, killedAtMs) + ANSWER_BOUND_AFTER_KILL_MS + RequestLoad.SLEEP_MS;
        assertTrue(answeredMs <= boundMs || sentMs > killedAtMs + ANSWER_BOUND_AFTER_KILL_MS,
          "request " + answer.getKey() + " answered " + (answeredMs - sentMs) + " ms after it was sent, "
            + (answeredMs - killedAtMs) + " ms after the kill");
      }
    }
    // conversations: node 2's end at once with a final answer, the others go on and finish
    for (int i = 0; i < dialogues.size(); i++) {
      if (!dialogues.get(i).isComplete()) {
        requesterOn1.send(req("dialogue", "d" + i, new JsonObject().put("done", true)));
      }
    }
    for (Future<JsonObject> ended : List.of(dialogues, streams).stream().flatMap(List::stream).toList()) {
      int code = await(ended).getInteger("code");
      assertTrue(code == 200 || code == 503, "conversation ended " + code);
    }

    for (int i : new int[]{0, 2}) {
      assertEquals(List.of(), nodes.get(i).errorLines(), "no ERROR line or stack trace on node " + (i + 1));
      // the operator's line: exactly one, naming the member. Other libraries' WARN lines are
      // reported, not failed on: Hazelcast has more member-loss variants than one run shows
      List<String> warnings = nodes.get(i).warnLines();
      assertEquals(1, warnings.stream().filter(line -> line.matches(".* cluster member \\S+ left \\(2 members\\).*")).count(),
        "one member-left WARN line on node " + (i + 1) + ": " + warnings);
      System.out.println("[measured] node " + (i + 1) + ": " + warnings.size() + " WARN line(s): " + warnings);
    }
  }

  private TestClient client(int port) {
    TestClient client = await(TestClient.connect(clientVertx, port));
    clients.add(client);
    return client;
  }

  /** Nodes in the cluster report of the node on {@code port} (each lists itself once deployed). */
  private int clusterSeenBy(int port) {
    return NodeHttp.stats(http, port).getJsonArray("cluster").size();
  }

  /** Publishes 0 .. PUBLICATIONS-1 with acks; kills node 2 after {@link #KILL_AFTER} of them. */
  private Future<Void> publish(TestClient publisher, Promise<Long> killed) {
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    clientVertx.setPeriodic(PUBLISH_EVERY_MS, timer -> {
      int i = next[0]++;
      if (i >= PUBLICATIONS) {
        clientVertx.cancelTimer(timer);
        done.tryComplete();
        return;
      }
      publisher.send(TestClient.pub("feed", i));
      if (i == KILL_AFTER) {
        clientVertx.executeBlocking(() -> {
          nodes.get(1).kill();
          return null;
        }).onComplete(v -> killed.complete(System.nanoTime()));
      }
    });
    return done.future();
  }

  /**
   * Keeps {@link #IN_FLIGHT} requests open on one client until stopped: {@code sleep} of
   * {@link #SLEEP_MS} and {@code echo}, alternately. Records when each was sent and answered.
   */
  private static final class RequestLoad {

    static final long SLEEP_MS = 200;
    static final int IN_FLIGHT = 8;

    private final TestClient client;
    private final String prefix;
    private final Map<String, long[]> answers = new ConcurrentHashMap<>();
    private final Map<String, Long> open = new ConcurrentHashMap<>();
    private final Promise<Void> allAnswered = Promise.promise();
    private int sent;
    private int inFlight;
    private volatile boolean stopped;

    RequestLoad(TestClient client, String prefix) {
      this.client = client;
      this.prefix = prefix;
      for (int i = 0; i < IN_FLIGHT; i++) {
        sendNext();
      }
    }

    private synchronized void sendNext() {
      if (stopped) {
        return;
      }
      String id = prefix + sent;
      JsonObject frame = sent % 2 == 0
        ? req("sleep", id, new JsonObject().put("ms", SLEEP_MS))
        : req("echo", id, new JsonObject().put("n", sent));
      sent++;
      inFlight++;
      long sentMs = nowMs();
      open.put(id, sentMs);
      client.send(frame);
      client.finalResponse(id).onSuccess(res -> {
        answers.put(id, new long[]{sentMs, nowMs(), res.getInteger("code")});
        open.remove(id);
        synchronized (this) {
          inFlight--;
          if (stopped && inFlight == 0) {
            allAnswered.tryComplete();
          }
        }
        sendNext();
      });
    }

    synchronized void stop() {
      stopped = true;
      if (inFlight == 0) {
        allAnswered.tryComplete();
      }
    }

    /** Completes when every request sent got its final response; bounded by {@link TestClient#await}. */
    Future<Void> allAnswered() {
      return allAnswered.future();
    }

    synchronized int sent() {
      return sent;
    }

    Map<String, long[]> answers() {
      return answers;
    }

    /** The requests still open, with when each was sent relative to {@code killedAtMs}. */
    Map<String, Long> unanswered(long killedAtMs) {
      Map<String, Long> relative = new java.util.TreeMap<>();
      open.forEach((id, sentMs) -> relative.put(id, sentMs - killedAtMs));
      return relative;
    }

    private static long nowMs() {
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }
  }
}
