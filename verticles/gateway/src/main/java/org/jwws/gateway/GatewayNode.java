package org.jwws.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.Glob;
import org.jwws.shared.internal.HandOverCodec;
import org.jwws.shared.internal.LocalHandlers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the gateway verticle instances of one node share: options, the topic registry, the
 * open connections ({@link Connections}), the broadcast consumer and the liveness timer; it hands
 * each connection the {@link NodeParts} it works with.
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
  private final Connections connections;
  private final NodeParts parts;
  private final AccessControl access;
  private final HealthChecks health;
  private final String startedAt = Instant.now().toString();
  /** Every node's report for /stats; this node's alone until the code running it sets the cluster's. */
  private volatile Supplier<Future<JsonArray>> clusterReports =
    () -> Future.succeededFuture(new JsonArray().add(new JsonObject()
      .put("id", "local").put("startedAt", startedAt).put("handlers", new JsonObject()).put("gateway", report())));
  private MessageConsumer<Object> broadcastConsumer;
  private long livenessTimer = -1;

  GatewayNode(Vertx vertx, GatewayOptions options, PrometheusMeterRegistry registry, HistoryStore historyStore, PresenceStore presenceStore) {
    this.vertx = vertx;
    this.options = new GatewayOptions(options);
    this.metrics = new GatewayMetrics(registry, this.options.getMetricsMaxLabels());
    this.connections = new Connections(vertx, this.options, metrics.pushesOut);
    this.access = AccessControl.create(vertx, this.options.getAccess(), this.options.getAllowedOrigins(), this.options.getHost());
    this.health = HealthChecks.create(vertx);
    this.memberLosses = new MemberLosses(vertx);
    this.history = new TopicHistory(vertx, historyStore, this.options.getHistory());
    List<Glob> presenceTopics = this.options.getPresence().stream().map(Glob::of).collect(Collectors.toList());
    this.presence = new Presence(vertx, presenceStore, presenceTopics, this.options.getMaxPresenceList());
    this.queries = new V2Queries(history, presence, this.options.getMaxWriteQueueBytes());
    this.topics = new TopicRegistry(vertx, metrics,
      this.options.getDropOldestTopics().stream().map(Glob::of).collect(Collectors.toList()), this.options.getTopicLingerMs(),
      new TopicFeeds(vertx, history, presenceTopics));
    this.parts = new NodeParts(vertx, this.options, metrics, new EnvelopeReader(this.options), topics, history, presence, queries,
      memberLosses, this.options.isLocalCalls() ? new SoleServers(vertx, LocalHandlers.of(vertx)) : null);
    metrics.gauges(connections::size, topics::size);
  }

  Future<Void> start() {
    HandOverCodec.register(vertx);
    broadcastConsumer = vertx.eventBus().consumer(Addresses.BROADCAST, message -> {
      try {
        connections.broadcast(Frames.pushText(message.body()));
      } catch (IllegalArgumentException e) {
        log.warn("broadcast dropped: {}", e.getMessage());
      }
    });
    long period = Math.max(50, Math.min(options.getPingIntervalMs(), options.getPongTimeoutMs()) / 2);
    livenessTimer = vertx.setPeriodic(period, id -> connections.checkAlive());
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

  /** The node's open connections: admission, broadcasts and the rounds over them. */
  Connections connections() {
    return connections;
  }

  /** Serves an upgraded WebSocket whose connection slot is taken, on the current event loop. */
  void connect(ServerWebSocket ws, Context context, Principal principal) {
    Connection connection = new Connection(ws, context, principal, parts, connections::closed);
    connection.start();
    connections.opened(connection);
  }

  /** True once the node began to stop: connections drain instead of closing at once. */
  boolean stopping() {
    return connections.stopping();
  }

  Vertx vertx() {
    return vertx;
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

  /**
   * A cluster member left (or died): every connection ends the requests it held with 503 now,
   * and watches the others for a receipt (see {@link MemberLosses}).
   */
  void memberLeft(String nodeId) {
    memberLosses.memberLeft();
    connections.memberLeft(nodeId);
  }

  TopicHistory history() {
    return history;
  }

  Presence presence() {
    return presence;
  }

  /** Open connections: the broadcast audience is every one of them. */
  int connectionCount() {
    return connections.size();
  }

  GatewayStats stats() {
    return new GatewayStats(connections.size(), topics.size(), metrics.subscriptions.intValue(), metrics.openRequests.intValue(),
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
}
