package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import org.jwws.shared.Addresses;

import org.jwws.shared.Glob;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * What the gateway verticle instances of one node share: options, the topic registry, the set
 * of open connections (the broadcast audience), the broadcast consumer and the liveness timer.
 */
final class GatewayNode {

  private static final Logger log = Logger.getLogger(GatewayNode.class.getName());

  private final Vertx vertx;
  private final GatewayOptions options;
  private final NodeCounters counters = new NodeCounters();
  private final TopicRegistry topics;
  private final Audience everyone = new Audience();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private MessageConsumer<Object> broadcastConsumer;
  private long livenessTimer = -1;
  private volatile boolean stopping;

  GatewayNode(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.options = new GatewayOptions(options);
    this.topics = new TopicRegistry(vertx.eventBus(), counters,
      this.options.getDropOldestTopics().stream().map(Glob::of).collect(Collectors.toList()));
  }

  Future<Void> start() {
    broadcastConsumer = vertx.eventBus().consumer(Addresses.BROADCAST, message -> {
      try {
        everyone.deliver(Frames.pushText(message.body()), false);
      } catch (IllegalArgumentException e) {
        log.warning("broadcast dropped: " + e.getMessage());
      }
    });
    long period = Math.max(50, Math.min(options.getPingIntervalMs(), options.getPongTimeoutMs()) / 2);
    livenessTimer = vertx.setPeriodic(period, id -> checkAlive());
    return broadcastConsumer.completion();
  }

  Future<Void> stop() {
    vertx.cancelTimer(livenessTimer);
    return broadcastConsumer == null ? Future.succeededFuture() : broadcastConsumer.unregister();
  }

  /** True once the node began to stop: connections drain instead of closing at once. */
  boolean stopping() {
    return stopping;
  }

  void beginStopping() {
    stopping = true;
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

  NodeCounters counters() {
    return counters;
  }

  TopicRegistry topics() {
    return topics;
  }

  Set<Connection> connections() {
    return connections;
  }

  GatewayStats stats() {
    int subscriptions = 0;
    int openRequests = 0;
    for (Connection connection : connections) {
      subscriptions += connection.subscriptions();
      openRequests += connection.openRequests();
    }
    return new GatewayStats(connections.size(), topics.size(), subscriptions, openRequests,
      counters.publicationsReceived.sum(), counters.framesIn.sum(), counters.framesOut.sum(),
      counters.slowConsumerCloses.sum(), counters.publicationsDropped.sum());
  }

  void opened(Connection connection) {
    connections.add(connection);
    everyone.add(connection);
  }

  void closed(Connection connection) {
    connections.remove(connection);
    everyone.remove(connection);
  }

  private void checkAlive() {
    long now = System.currentTimeMillis();
    for (Connection connection : connections) {
      connection.onContext(() -> connection.checkAlive(now, options.getPingIntervalMs(), options.getPongTimeoutMs()));
    }
  }
}
