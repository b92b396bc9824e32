package org.jwws.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The soak run: mixed traffic across three clustered nodes for a quarter of an hour while one
 * node after the other is killed with SIGKILL and started again. It reports what a user would
 * ask after a night of it: publications lost, duplicated or reordered for subscribers that stayed
 * connected, requests left unanswered, ERROR lines on the survivors, and each node's heap over time.
 * <pre>
 * java -jar bench/target/jw-bench.jar --soak [--minutes 15] [--kill-every-s 120]
 * </pre>
 * All traffic goes to 127.0.0.1; the run ends by itself after its duration.
 */
final class Soak {

  /** Everything the run is made of; the defaults are the documented 15 minutes. */
  record Plan(long durationMs, long killEveryMs, long downMs, int subscribersPerNode, int publicationsPerS,
              int requestsInFlightPerNode, long sampleEveryMs) {

    static Plan of(double minutes, long killEverySeconds) {
      return new Plan((long) (minutes * 60_000), killEverySeconds * 1_000, 10_000, 20, 50, 8, 10_000);
    }
  }

  private final Vertx vertx;
  private final Plan plan;
  private final Path gatewayJar;
  private final String cluster = "jw-soak-" + UUID.randomUUID();
  private final ServerProcess[] nodes = new ServerProcess[3];
  private final SoakTraffic traffic;
  private final HttpClient http;
  private final List<String> samples = new ArrayList<>();
  private int kills;
  private int survivorErrorLines;
  private int memberLeftLines;
  private int otherWarnLines;
  private final List<String> otherWarnings = new ArrayList<>();

  private Soak(Vertx vertx, Plan plan, Path gatewayJar) {
    this.vertx = vertx;
    this.plan = plan;
    this.gatewayJar = gatewayJar;
    this.http = vertx.createHttpClient();
    this.traffic = new SoakTraffic(vertx, this::livePorts, plan);
  }

  static void run(Vertx vertx, Plan plan, Path gatewayJar) throws Exception {
    Soak soak = new Soak(vertx, plan, gatewayJar);
    try {
      soak.run();
    } finally {
      for (ServerProcess node : soak.nodes) {
        if (node != null) {
          node.close();
        }
      }
    }
  }

  private void run() throws Exception {
    System.out.println("machine: " + Machine.describe());
    System.out.printf(Locale.ROOT, "soak: 3 nodes, %.1f min, a node killed every %d s and restarted %d s later; %d subscribers per node, "
        + "%d publications/s, %d requests in flight per node%n", plan.durationMs() / 60_000.0, plan.killEveryMs() / 1000,
      plan.downMs() / 1000, plan.subscribersPerNode(), plan.publicationsPerS(), plan.requestsInFlightPerNode());
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = Bench.startGateway(gatewayJar, "node-" + (i + 1), cluster, Map.of("JWGW_HISTORY", SoakTraffic.HISTORY));
    }
    await(traffic.start());
    long start = System.nanoTime();
    long nextKill = plan.killEveryMs();
    long nextSample = 0;
    int victim = 0;
    int down = -1;
    long restartAt = 0;
    while (elapsedMs(start) < plan.durationMs()) {
      long now = elapsedMs(start);
      if (now >= nextSample) {
        sample(now);
        nextSample += plan.sampleEveryMs();
      }
      if (down >= 0 && now >= restartAt) {
        restart(down);
        down = -1;
      } else if (down < 0 && now >= nextKill && now + plan.downMs() < plan.durationMs()) {
        kill(victim);
        down = victim;
        restartAt = now + plan.downMs();
        victim = (victim + 1) % nodes.length;
        nextKill += plan.killEveryMs();
      }
      Thread.sleep(200);
    }
    sample(elapsedMs(start));
    await(traffic.stop());
    for (ServerProcess node : nodes) {
      countLines(node);
    }
    report();
  }

  private void kill(int index) throws InterruptedException {
    ServerProcess node = nodes[index];
    // its own lines before the kill count: a node that logs ERROR while healthy is a finding too
    countLines(node);
    node.kill();
    kills++;
    System.out.println("[soak] killed " + node.name() + " (SIGKILL), its output in " + node.log());
  }

  private void countLines(ServerProcess node) {
    survivorErrorLines += node.errorLines();
    memberLeftLines += node.memberLeftLines();
    otherWarnLines += node.otherWarnLines();
    node.otherWarnings().forEach(line -> otherWarnings.add("[" + node.name() + "] " + line));
  }

  /** A new JVM in the dead one's place: it joins the cluster and takes traffic again. */
  private void restart(int index) throws Exception {
    nodes[index] = Bench.startGateway(gatewayJar, "node-" + (index + 1), cluster, Map.of("JWGW_HISTORY", SoakTraffic.HISTORY));
    System.out.println("[soak] restarted " + nodes[index].name() + " on port " + nodes[index].port() + ", output in " + nodes[index].log());
  }

  private List<Integer> livePorts() {
    List<Integer> ports = new ArrayList<>();
    for (ServerProcess node : nodes) {
      if (node != null && node.isAlive()) {
        ports.add(node.port());
      }
    }
    return ports;
  }

  /** One line: every node's heap (from its /metrics) and RSS, and the traffic's counts so far. */
  private void sample(long elapsedMs) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[soak] t=%4ds", elapsedMs / 1000));
    for (ServerProcess node : nodes) {
      line.append(" | ").append(node.name()).append(' ');
      if (node.isAlive()) {
        line.append(String.format(Locale.ROOT, "heap %5.1f MB rss %5.1f MB", heapBytes(node.port()) / 1e6, node.rssBytes() / 1e6));
      } else {
        line.append("down");
      }
    }
    line.append(" | ").append(traffic.counts());
    samples.add(line.toString());
    System.out.println(line);
  }

  private double heapBytes(int port) {
    try {
      String text = await(http.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
        .compose(request -> request.putHeader("Connection", "close").send().compose(response -> response.body()))).toString();
      double heap = 0;
      for (String series : text.split("\n")) {
        if (series.startsWith("jvm_memory_used_bytes{") && series.contains("area=\"heap\"")) {
          heap += Double.parseDouble(series.substring(series.lastIndexOf(' ') + 1));
        }
      }
      return heap;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private void report() {
    SoakTraffic.Totals totals = traffic.totals();
    System.out.println();
    System.out.println("| figure | value | target |");
    System.out.println("|---|---|---|");
    row("nodes killed (SIGKILL) and restarted", kills, "");
    row("publications acknowledged", totals.published(), "");
    row("deliveries to subscribers", totals.delivered(), "");
    row("lost for a subscriber while it stayed connected", totals.lost(), "0");
    row("duplicated", totals.duplicated(), "0");
    row("out of order", totals.reordered(), "0");
    row("acknowledged just before the publisher's node died, not delivered", totals.lostWithPublisher(), "0");
    row("missed by subscribers while they reconnected", totals.missedReconnecting(), "0");
    row("reconnects recovered with since / not recovered", totals.recovered() + " / " + totals.notRecovered(), "all / 0");
    row("requests answered", totals.answered(), "");
    row("  of them 503 (handler's node died)", totals.unavailable(), "");
    row("requests cut with their client's own node", totals.cut(), "");
    row("requests unanswered on a live connection", totals.unanswered(), "0");
    row("request latency p99 / max ms", String.format(Locale.ROOT, "%.1f / %.1f", totals.p99Ms(), totals.maxMs()), "");
    row("ERROR lines and stack traces on the nodes", survivorErrorLines, "0");
    // each kill is seen by the two survivors: one line each
    row("member-left WARN lines", memberLeftLines, Integer.toString(2 * kills));
    row("other WARN lines", otherWarnLines, "0");
    otherWarnings.forEach(line -> System.out.println("  " + line));
    JsonObject result = totals.toJson().put("kills", kills).put("errorLines", survivorErrorLines)
      .put("memberLeftLines", memberLeftLines).put("otherWarnLines", otherWarnLines)
      .put("durationMs", plan.durationMs()).put("machine", Machine.describe());
    System.out.println("SOAK_RESULT " + result.encode());
  }

  private static void row(String figure, Object value, String target) {
    System.out.println("| " + figure + " | " + value + " | " + target + " |");
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  static <T> T await(Future<T> future) {
    CompletableFuture<T> done = future.toCompletionStage().toCompletableFuture();
    try {
      return done.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("soak step did not complete: " + e, e);
    }
  }
}
