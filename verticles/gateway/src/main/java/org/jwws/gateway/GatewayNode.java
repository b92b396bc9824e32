package org.jwws.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import org.jwws.shared.Addresses;

import org.jwws.shared.Glob;
import org.jwws.shared.HandOverCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the gateway verticle instances of one node share: options, the topic registry, the set
 * of open connections (the broadcast audience, also walked by drain and liveness), the broadcast consumer and the liveness timer.
 */
final class GatewayNode {

  private static final Logger log = LoggerFactory.getLogger(GatewayNode.class);

  private final Vertx vertx;
  private final GatewayOptions options;
  private final GatewayMetrics metrics;
  private final TopicRegistry topics;
  private final MemberLosses memberLosses;
  private final TopicHistory history;
  private final Presence presence;
  private final V2Queries queries;
  private final Audience<Connection> everyone;
  /** Upgrades admitted and not yet closed: checked against maxConnections before upgrading. */
  private final AtomicInteger admitted = new AtomicInteger();
  private final EnvelopeReader envelopeReader;
  private final List<Glob> allowedOrigins;
  private final AccessControl access;
  private final HealthChecks health;
  private final String startedAt = Instant.now().toString();
  /** Every node's report for /stats; this node's alone until the code running it sets the cluster's. */
  private volatile Supplier<Future<JsonArray>> clusterReports =
    () -> Future.succeededFuture(new JsonArray().add(new JsonObject()
      .put("id", "local").put("startedAt", startedAt).put("handlers", new JsonObject()).put("gateway", report())));
  private MessageConsumer<Object> broadcastConsumer;
  private long livenessTimer = -1;
  private volatile boolean stopping;
  private final Promise<Void> allClosed = Promise.promise();

  GatewayNode(Vertx vertx, GatewayOptions options, PrometheusMeterRegistry registry, HistoryStore historyStore, PresenceStore presenceStore) {
    this.vertx = vertx;
    this.options = new GatewayOptions(options);
    this.metrics = new GatewayMetrics(registry, this.options.getMetricsMaxLabels());
    this.everyone = new Audience<>(metrics.pushesOut);
    this.envelopeReader = new EnvelopeReader(this.options);
    this.access = AccessControl.create(vertx, this.options.getAccess());
    this.health = HealthChecks.create(vertx);
    this.allowedOrigins = this.options.getAllowedOrigins().stream().map(Glob::of).collect(Collectors.toList());
    this.memberLosses = new MemberLosses(vertx);
    this.history = new TopicHistory(vertx, historyStore, this.options.getHistory());
    List<Glob> presenceTopics = this.options.getPresence().stream().map(Glob::of).collect(Collectors.toList());
    this.presence = new Presence(vertx, presenceStore, presenceTopics, this.options.getMaxPresenceList());
    this.queries = new V2Queries(history, presence, this.options.getMaxWriteQueueBytes());
    this.topics = new TopicRegistry(vertx, metrics,
      this.options.getDropOldestTopics().stream().map(Glob::of).collect(Collectors.toList()), this.options.getTopicLingerMs(),
      new TopicFeeds(vertx, history, presenceTopics));
    metrics.gauges(this);
  }

  Future<Void> start() {
    HandOverCodec.register(vertx);
    broadcastConsumer = vertx.eventBus().consumer(Addresses.BROADCAST, message -> {
      try {
        everyone.deliver(Frames.pushText(message.body()), false);
      } catch (IllegalArgumentException e) {
        log.warn("broadcast dropped: {}", e.getMessage());
      }
    });
    long period = Math.max(50, Math.min(options.getPingIntervalMs(), options.getPongTimeoutMs()) / 2);
    livenessTimer = vertx.setPeriodic(period, id -> checkAlive());
    return Future.all(broadcastConsumer.completion(), history.start()).mapEmpty();
  }

  Future<Void> stop() {
    vertx.cancelTimer(livenessTimer);
    // a node stopping gracefully takes its presence entries with it, leave events sent
    Future<Void> unlisted = presence.removeOwn().<Void>mapEmpty().otherwiseEmpty();
    return unlisted.eventually(history::stop)
      .eventually(() -> broadcastConsumer == null ? Future.succeededFuture() : broadcastConsumer.unregister());
  }

  /** Readiness procedures: the gateway's own, and whatever the node running it adds. */
  HealthChecks health() {
    return health;
  }

  AccessControl access() {
    return access;
  }

  /** One reader for the node: it holds the JSON factory with the configured limits. */
  EnvelopeReader envelopeReader() {
    return envelopeReader;
  }

  /**
   * Like Tornado's {@code check_origin}: no Origin (not a browser) is allowed, a listed origin
   * ({@code "*"}: any) is, and otherwise only the gateway's own page, where the Host it was
   * sent to cannot be a rebound name ({@link SameOrigin}). The same with or without a list.
   */
  boolean originAllowed(String origin, String host) {
    return origin == null || Glob.anyMatches(allowedOrigins, origin) || SameOrigin.check(origin, host, options.getHost());
  }

  /** Takes a connection slot, false when the node is full. */
  boolean admitConnection() {
    if (admitted.incrementAndGet() > options.getMaxConnections()) {
      admitted.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back the slot of a connection that closed or whose upgrade failed. */
  void releaseConnection() {
    admitted.decrementAndGet();
  }

  /** True once the node began to stop: connections drain instead of closing at once. */
  boolean stopping() {
    return stopping;
  }

  /**
   * Stops the node's connections gracefully: upgrades are refused (503), every connection
   * finishes its open requests and closes with 1001; after the grace period the rest are
   * closed. Completes when no connection is left or the grace period is over.
   */
  Future<Void> drain() {
    stopping = true;
    everyone.forEachOnLoop(Connection::drain);
    long timer = vertx.setTimer(options.getShutdownGraceMs(), id -> {
      everyone.forEachOnLoop(connection -> connection.close(CloseCodes.GOING_AWAY, "going away"));
      allClosed.tryComplete();
    });
    checkAllClosed();
    return allClosed.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void checkAllClosed() {
    if (stopping && everyone.isEmpty()) {
      allClosed.tryComplete();
    }
  }

  Vertx vertx() {
    return vertx;
  }

  EventBus eventBus() {
    return vertx.eventBus();
  }

  GatewayOptions options() {
    return options;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  TopicRegistry topics() {
    return topics;
  }

  MemberLosses memberLosses() {
    return memberLosses;
  }

  /**
   * A cluster member left (or died): every connection ends the requests it held with 503 now,
   * and watches the others for a receipt (see {@link MemberLosses}).
   */
  void memberLeft(String nodeId) {
    memberLosses.memberLeft();
    everyone.forEachOnLoop(connection -> connection.memberLeft(nodeId));
  }

  TopicHistory history() {
    return history;
  }

  Presence presence() {
    return presence;
  }

  V2Queries queries() {
    return queries;
  }

  /** Open connections: the broadcast audience is every one of them. */
  int connectionCount() {
    return everyone.size();
  }

  GatewayStats stats() {
    return new GatewayStats(everyone.size(), topics.size(), metrics.subscriptions.intValue(), metrics.openRequests.intValue(),
      metrics.publicationsReceived(), (long) metrics.publicationsOut.count(), metrics.framesIn(), metrics.framesOut(),
      (long) metrics.slowConsumerCloses.count(), (long) metrics.publicationsDropped.count(),
      (long) metrics.publicationsDiscarded.count(), (long) metrics.topicRegistryWrites.count());
  }

  /** See {@link Gateway#report()}. */
  JsonObject report() {
    JsonObject topicSubscribers = new JsonObject();
    // v2, for the console: of those topics, where each history stands and who each presence lists here
    JsonObject histories = new JsonObject();
    JsonObject listed = new JsonObject();
    topics.subscribers(50).forEach((name, subscribers) -> {
      topicSubscribers.put(name, subscribers);
      Sequencer sequencer = topics.sequencer(name);
      if (sequencer != null && sequencer.position() != Sequencer.UNKNOWN) {
        histories.put(name, new JsonObject().put("offset", sequencer.position()).put("size", sequencer.rule().size()));
      }
      if (presence.has(name)) {
        listed.put(name, subscribers);
      }
    });
    return new JsonObject()
      // when it was taken: a report from the cluster map can be a period old, and rates need the true interval
      .put("at", System.currentTimeMillis())
      .put("stats", stats().toJson())
      .put("topics", topicSubscribers)
      .put("history", histories)
      .put("presence", listed)
      .put("commands", metrics.commands())
      .put("latencyBucketsMs", GatewayMetrics.latencyBucketsMs())
      .put("errors", metrics.errors().toJson());
  }

  Future<JsonArray> clusterReports() {
    return clusterReports.get();
  }

  void clusterReports(Supplier<Future<JsonArray>> reports) {
    this.clusterReports = reports;
  }

  void opened(Connection connection) {
    everyone.add(connection);
  }

  void closed(Connection connection) {
    everyone.remove(connection);
    checkAllClosed();
  }

  private void checkAlive() {
    long now = System.currentTimeMillis();
    everyone.forEachOnLoop(connection -> connection.checkAlive(now, options.getPingIntervalMs(), options.getPongTimeoutMs()));
  }
}
