package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Status;
import org.jwws.shared.internal.Envelope;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * The meters of one gateway node in Micrometer: {@code /metrics} exposes them (as
 * {@code jw_frames_in_total}, ...), {@code /stats} and the console read them. Topic and command
 * names are labels bounded by {@link BoundedLabels}.
 */
final class GatewayMetrics {

  /** Label of a command no handler answered for (no handler, refused before routing). */
  static final String UNKNOWN = "_unknown";
  static final String INVALID = "_invalid";
  /** Latency buckets of {@code jw_requests}: few, so each (command, code) costs few series. */
  private static final Duration[] REQUEST_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
  };
  /** Close codes with a label of their own; a client may send any code from 1000 to 4999. */
  private static final Set<Integer> CLOSE_CODES = Set.of(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1013);

  private final PrometheusMeterRegistry registry;
  private final Counter[] framesIn = new Counter[Inbound.Kind.values().length];
  private final Counter framesInInvalid;
  final Counter responsesOut;
  final Counter acksOut;
  final Counter publicationsOut;
  final Counter pushesOut;
  final Counter slowConsumerCloses;
  /** Subscriptions and open requests over all connections, kept by each connection on its own loop. */
  final LongAdder subscriptions = new LongAdder();
  final LongAdder openRequests = new LongAdder();
  final Counter publicationsDropped;
  /** Publications the event bus discarded at this node's topic consumers, before any subscriber. */
  final Counter publicationsDiscarded;
  /** Topic consumers registered and unregistered: each a cluster-wide registry write when clustered. */
  final Counter topicRegistryWrites;
  private final BoundedLabels topics;
  private final BoundedLabels commands;
  private final BoundedLabels codes = new BoundedLabels(50);
  private final Map<String, TopicMeters> topicMeters = new ConcurrentHashMap<>();
  private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> closes = new ConcurrentHashMap<>();
  private final RecentErrors errors = new RecentErrors(50);

  GatewayMetrics(PrometheusMeterRegistry registry, int maxLabels) {
    this.registry = registry;
    this.topics = new BoundedLabels(maxLabels);
    this.commands = new BoundedLabels(maxLabels);
    for (Inbound.Kind kind : Inbound.Kind.values()) {
      framesIn[kind.ordinal()] = frames("jw.frames.in", kind.mode, kind.action);
    }
    framesInInvalid = frames("jw.frames.in", INVALID, INVALID);
    responsesOut = frames("jw.frames.out", Envelope.MODE_REQ_RES, Envelope.ACTION_RES);
    acksOut = frames("jw.frames.out", Envelope.MODE_PUB_SUB, Envelope.ACTION_ACK);
    publicationsOut = frames("jw.frames.out", Envelope.MODE_PUB_SUB, Envelope.ACTION_PUB);
    pushesOut = frames("jw.frames.out", "push", "push");
    slowConsumerCloses = Counter.builder("jw.slow.consumer.closes")
      .description("Connections closed with 1013 for not reading their publications").register(registry);
    publicationsDropped = Counter.builder("jw.publications.dropped")
      .description("Publications of drop-oldest topics dropped for slow consumers").register(registry);
    publicationsDiscarded = Counter.builder("jw.publications.discarded")
      .description("Publications the event bus discarded at this node's topic consumers").register(registry);
    topicRegistryWrites = Counter.builder("jw.topic.registry.writes")
      .description("Topic consumers registered and unregistered (cluster-wide registry writes when clustered)").register(registry);
  }

  /** Gauges read from the node's live state at each scrape: its open connections and topic consumers. */
  void gauges(Supplier<Number> connections, Supplier<Number> topics) {
    Gauge.builder("jw.connections", connections)
      .description("Open WebSocket connections").register(registry);
    Gauge.builder("jw.topics", topics)
      .description("Topics this node holds an event-bus consumer for").register(registry);
    Gauge.builder("jw.subscriptions", subscriptions, LongAdder::sum)
      .description("Subscriptions over all connections").register(registry);
    Gauge.builder("jw.requests.open", openRequests, LongAdder::sum)
      .description("Requests waiting for their final response").register(registry);
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  void frameIn(Inbound.Kind kind) {
    framesIn[kind.ordinal()].increment();
  }

  void frameRejected(int code, String reason) {
    framesInInvalid.increment();
    errors.add("frame", null, code, reason);
  }

  /** The counter of a frame that is a response or an ack depending on what it answers (a 400). */
  Counter frameOut(JsonObject frame) {
    return Envelope.ACTION_ACK.equals(frame.getString(Envelope.ACTION)) ? acksOut : responsesOut;
  }

  long framesIn() {
    long sum = (long) framesInInvalid.count();
    for (Counter counter : framesIn) {
      sum += (long) counter.count();
    }
    return sum;
  }

  long framesOut() {
    return (long) (responsesOut.count() + acksOut.count() + publicationsOut.count() + pushesOut.count());
  }

  /** The meters of a topic, taken once per registration of its consumer. */
  TopicMeters topic(String name) {
    return topicMeters.computeIfAbsent(topics.admit(name), label -> new TopicMeters(
      Counter.builder("jw.publications").tag("topic", label)
        .description("Publications that reached this node (once per node)").register(registry),
      Counter.builder("jw.deliveries").tag("topic", label)
        .description("Publication frames handed to local subscribers").register(registry)));
  }

  long publicationsReceived() {
    return (long) topicMeters.values().stream().mapToDouble(meters -> meters.publications.count()).sum();
  }

  /**
   * A request got its final response {@code code}, {@code startNanos} after it arrived.
   *
   * @param answered a handler took it (answered, failed or timed out): only then may its
   *                 command name become a label, so made-up names cannot use up the labels
   */
  void requestDone(String command, int code, long startNanos, boolean answered, String msg) {
    String commandLabel = answered ? commands.admit(command) : commands.lookup(command, UNKNOWN);
    String codeLabel = codes.admit(Integer.toString(code));
    requestTimers.computeIfAbsent(commandLabel + ' ' + codeLabel, key -> Timer.builder("jw.requests")
        .tag("command", commandLabel)
        .tag("code", codeLabel)
        .serviceLevelObjectives(REQUEST_BUCKETS)
        .description("Requests by command and final code, from arrival to final response")
        .register(registry))
      .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    if (isError(code)) {
      errors.add("request", command, code, msg);
    }
  }

  /** A connection closed with {@code code} (null: no close frame, the connection was lost). */
  void closed(Short code, String reason) {
    String label = code == null ? "none" : CLOSE_CODES.contains((int) code) ? code.toString() : "other";
    closes.computeIfAbsent(label, key -> Counter.builder("jw.connections.closed").tag("code", key)
      .description("Closed connections by close code").register(registry)).increment();
    if (code != null && code != 1000 && code != 1001) {
      errors.add("close", null, code, reason);
    }
  }

  /**
   * Per command: requests, errors and latency (mean; p50 and p99 as the upper bound of the
   * latency bucket they fall in, in ms; null beyond the last bucket).
   */
  JsonObject commands() {
    Map<String, CommandSummary> byCommand = new TreeMap<>();
    for (Timer timer : requestTimers.values()) {
      int code = parseCode(timer.getId().getTag("code"));
      byCommand.computeIfAbsent(timer.getId().getTag("command"), name -> new CommandSummary())
        .add(timer.takeSnapshot(), isError(code));
    }
    JsonObject out = new JsonObject();
    byCommand.forEach((name, summary) -> out.put(name, summary.toJson()));
    return out;
  }

  /** The upper bounds of the request latency buckets, in ms (a command's {@code buckets} count at or below each). */
  static JsonArray latencyBucketsMs() {
    return longs(Arrays.stream(REQUEST_BUCKETS).mapToLong(Duration::toMillis));
  }

  /** A JsonArray of its own (mutable) list: reports are copied and merged by the cluster map and /stats. */
  private static JsonArray longs(LongStream values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }

  RecentErrors errors() {
    return errors;
  }

  private Counter frames(String name, String mode, String action) {
    return Counter.builder(name).tag("mode", mode).tag("action", action).register(registry);
  }

  /** Errors worth an operator's eye: not the client's own cancel. */
  private static boolean isError(int code) {
    return code >= 400 && code != Status.CANCELLED;
  }

  private static int parseCode(String label) {
    try {
      return Integer.parseInt(label);
    } catch (NumberFormatException other) {
      return Status.HANDLER_FAILED;
    }
  }

  /** A topic's counters. */
  static final class TopicMeters {

    final Counter publications;
    final Counter deliveries;

    TopicMeters(Counter publications, Counter deliveries) {
      this.publications = publications;
      this.deliveries = deliveries;
    }
  }

  /** The timers of one command, summed over codes. */
  private static final class CommandSummary {

    private long count;
    private long errors;
    private double totalMs;
    private final double[] bucketMs = new double[REQUEST_BUCKETS.length];
    private final long[] cumulative = new long[REQUEST_BUCKETS.length];

    void add(HistogramSnapshot snapshot, boolean error) {
      count += snapshot.count();
      errors += error ? snapshot.count() : 0;
      totalMs += snapshot.total(TimeUnit.MILLISECONDS);
      CountAtBucket[] buckets = snapshot.histogramCounts();
      for (int i = 0; i < buckets.length && i < cumulative.length; i++) {
        bucketMs[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
        cumulative[i] += (long) buckets[i].count();
      }
    }

    JsonObject toJson() {
      return new JsonObject()
        .put("requests", count)
        .put("errors", errors)
        .put("meanMs", count == 0 ? 0 : Math.round(totalMs / count * 10) / 10.0)
        .put("p50Ms", quantileMs(0.5))
        .put("p99Ms", quantileMs(0.99))
        // cumulative counts at or below each of LATENCY_BUCKETS_MS: the console differences
        // two reports into the p99 of the requests between them
        .put("buckets", longs(Arrays.stream(cumulative)));
    }

    private Double quantileMs(double q) {
      for (int i = 0; i < cumulative.length; i++) {
        if (cumulative[i] >= Math.ceil(q * count)) {
          return bucketMs[i];
        }
      }
      return null;
    }
  }
}
