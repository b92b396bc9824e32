package org.jwws.node;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.jwws.gateway.Gateway;
import org.jwws.gateway.GatewayOptions;
import org.jwws.node.bridge.BridgeOptions;
import org.jwws.node.bridge.BridgeVerticle;
import org.jwws.shared.PublishWindows;
import org.jwws.shared.internal.ServedCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A running node: Vert.x (standalone or clustered), the gateway unless disabled, and the
 * handler verticles the config names.
 */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final NodeOptions options;
  private final HazelcastClusterManager clusterManager;
  private final PrometheusMeterRegistry registry;
  private final String startedAt = Instant.now().toString();
  private Gateway gateway;
  private BridgeVerticle bridge;
  private NodeReports reports;
  private PresenceCleanup presenceCleanup;

  private Node(Vertx vertx, NodeOptions options, HazelcastClusterManager clusterManager, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.options = options;
    this.clusterManager = clusterManager;
    this.registry = registry;
  }

  /** Starts a node from a complete config (see {@link NodeConfig}); a bad one fails, naming its key. */
  public static Future<Node> start(JsonObject config) {
    NodeOptions options;
    try {
      options = new NodeOptions(config);
    } catch (IllegalArgumentException badConfig) {
      return Future.failedFuture(badConfig);
    }
    return start(options);
  }

  /** Starts a node from its options; later changes to {@code options} do not reach it. */
  public static Future<Node> start(NodeOptions given) {
    NodeOptions options = new NodeOptions(given.toJson());
    PrometheusMeterRegistry registry = NodeMetrics.registry(options);
    VertxBuilder builder = NodeMetrics.apply(Vertx.builder(), Clustering.vertxOptions(options), options, registry);
    if (!options.isCluster()) {
      return deploy(builder.build(), options, null, registry);
    }
    HazelcastClusterManager clusterManager;
    try {
      clusterManager = Clustering.clusterManager(options);
    } catch (FileNotFoundException e) {
      return Future.failedFuture(e);
    }
    return builder.withClusterManager(clusterManager).buildClustered()
      .compose(vertx -> deploy(vertx, options, clusterManager, registry));
  }

  private static Future<Node> deploy(Vertx vertx, NodeOptions options, HazelcastClusterManager clusterManager,
                                     PrometheusMeterRegistry registry) {
    vertx.exceptionHandler(new UnhandledExceptions());
    Node node = new Node(vertx, options, clusterManager, registry);
    NodeMetrics.publishWindows(registry, PublishWindows.of(vertx));
    return node.deploy().map(node).recover(err -> vertx.close().transform(v -> Future.failedFuture(err)));
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The gateway, or null on a handler-only node. */
  public Gateway gateway() {
    return gateway;
  }

  /** The port of the TCP event-bus bridge, or -1 when it is off. */
  public int bridgePort() {
    return bridge == null ? -1 : bridge.port();
  }

  /** Members of the cluster this node sees, itself included; 1 when standalone. */
  public int clusterSize() {
    return clusterManager == null ? 1 : clusterManager.getNodes().size();
  }

  /** The Hazelcast member of a clustered node (tests terminate it to kill the member abruptly), else null. */
  HazelcastInstance hazelcast() {
    return clusterManager == null ? null : clusterManager.getHazelcastInstance();
  }

  /** This node's id in the cluster, or null when standalone. */
  public String nodeId() {
    return clusterManager == null ? null : clusterManager.getNodeId();
  }

  /** The cluster manager, null when standalone (tests end a member abruptly through it). */
  HazelcastClusterManager clusterManager() {
    return clusterManager;
  }

  /** The ids of the nodes holding a consumer on {@code address}, as the cluster sees it now. */
  public Future<Set<String>> nodesRegisteredFor(String address) {
    if (clusterManager == null) {
      return Future.succeededFuture(Set.of());
    }
    Promise<List<RegistrationInfo>> registrations = Promise.promise();
    clusterManager.getRegistrations(address, registrations);
    return registrations.future().map(list -> list.stream().map(RegistrationInfo::nodeId).collect(Collectors.toSet()));
  }

  /**
   * Stops the node: the gateway says goodbye to its clients (1001) and the cluster is left
   * before Hazelcast itself stops, so other nodes stop routing here at once.
   */
  public Future<Void> stop() {
    // a promise of no context: whatever completes it, the event loops are gone by then
    Promise<Void> stopped = Promise.promise();
    Future<Void> unlisted = reports == null ? Future.succeededFuture() : reports.stop();
    if (presenceCleanup != null) {
      presenceCleanup.stop();
    }
    unlisted
      .eventually(() -> gateway == null ? Future.succeededFuture() : gateway.close())
      .onComplete(ar -> vertx.close().onComplete(stopped));
    return stopped.future();
  }

  private String reportId() {
    return clusterManager == null ? "standalone" : nodeId();
  }

  /** This node's report: its id, start time, the commands its handlers serve and its gateway's report. */
  JsonObject report() {
    JsonObject report = new JsonObject()
      .put("id", reportId())
      .put("startedAt", startedAt)
      .put("handlers", ServedCommands.of(vertx));
    if (gateway != null) {
      report.put("gateway", gateway.report().put("port", gateway.port()));
    }
    return report;
  }

  private Future<Void> deploy() {
    Future<Void> gatewayReady = Future.succeededFuture();
    GatewayOptions gatewayOptions = options.getGateway();
    // Backend.publish of handlers on this node needs the history topics, gateway or not
    HistoryTopics.tell(vertx, gatewayOptions);
    if (options.isGatewayEnabled()) {
      HazelcastInstance hazelcast = clusterManager == null ? null : clusterManager.getHazelcastInstance();
      gatewayReady = Gateway.deploy(vertx, gatewayOptions, registry,
          hazelcast == null ? null : new HazelcastHistoryStore(vertx, hazelcast),
          hazelcast == null ? null : new HazelcastPresenceStore(vertx, hazelcast, nodeId()))
        .onSuccess(gw -> {
          gateway = gw;
          if (hazelcast != null) {
            presenceCleanup = new PresenceCleanup(gw).start(hazelcast);
          }
        }).mapEmpty();
    }
    return gatewayReady.compose(v -> {
      if (clusterManager != null) {
        MemberWatch.watch(vertx, clusterManager, this::memberLeft);
      }
      Future<Void> handlers = deployHandlers();
      if (gateway != null) {
        registerReadiness(gateway.healthChecks(), handlers);
      }
      return handlers;
    }).compose(v -> deployBridge()).compose(v -> {
      reports = new NodeReports(vertx, reportId(), this::report);
      // until the map is there, /stats shows the gateway's own report
      return reports.start().onSuccess(started -> {
        if (gateway != null) {
          gateway.clusterReports(reports::all);
        }
      });
    });
  }

  private void memberLeft(String memberId) {
    // Backend publications no longer wait for the member's credit
    PublishWindows.memberLeft(vertx, memberId);
    if (gateway != null) {
      gateway.memberLeft(memberId);
    }
  }

  /** Ready once the configured handlers are deployed and, when clustered, the node is a member. */
  private void registerReadiness(HealthChecks checks, Future<Void> handlers) {
    checks.register("handlers", promise -> promise.complete(handlers.succeeded()
      ? Status.OK(new JsonObject().put("deployed", options.getHandlers().size()))
      : Status.KO(new JsonObject().put("reason", handlers.failed() ? "deployment failed" : "deploying"))));
    if (clusterManager != null) {
      checks.register("cluster", promise -> promise.complete(clusterManager.isActive() && clusterManager.getNodes().contains(nodeId())
        ? Status.OK(new JsonObject().put("members", clusterSize()))
        : Status.KO(new JsonObject().put("reason", "not a member"))));
    }
  }

  /** The TCP event-bus bridge, when the config has a {@code bridge} object: handler processes outside the JVM. */
  private Future<Void> deployBridge() {
    BridgeOptions bridgeOptions = options.getBridge();
    if (bridgeOptions == null) {
      return Future.succeededFuture();
    }
    BridgeVerticle deployed = new BridgeVerticle(bridgeOptions);
    return vertx.deployVerticle(deployed).onSuccess(id -> {
      bridge = deployed;
      log.info("bridge listening on {}:{}{}", bridgeOptions.host(), deployed.port(), deployed.tls() ? " (TLS)" : "");
    }).mapEmpty();
  }

  private Future<Void> deployHandlers() {
    List<Future<String>> deployed = new ArrayList<>();
    for (HandlerDeployment handler : options.getHandlers()) {
      deployed.add(vertx.deployVerticle(handler.className(), handler.deploymentOptions())
        .onSuccess(id -> log.info("deployed {}{}", handler.className(), handler.worker() ? " (worker)" : "")));
    }
    return Future.all(deployed).mapEmpty();
  }
}
