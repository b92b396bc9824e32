package org.jwws.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import org.jwws.shared.internal.LocalGateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A running gateway node: {@link GatewayOptions#getInstances()} gateway verticles sharing one
 * port, one topic registry and one broadcast consumer.
 * <pre>{@code
 * Gateway.deploy(vertx, new GatewayOptions().setPort(8080)).onSuccess(gw -> ...);
 * }</pre>
 */
public final class Gateway {

  private final GatewayNode node;
  /**
   * Vert.x shares one random port between the servers asking for the same negative port: each
   * gateway takes a number of its own, so two gateways of one Vert.x (tests) never share.
   */
  private static final AtomicInteger SHARED_RANDOM_PORTS = new AtomicInteger();
  private final List<String> deployments = new ArrayList<>(1);
  private int port;
  private Future<Void> closed;

  private Gateway(GatewayNode node) {
    this.node = node;
  }

  /**
   * Deploys a gateway node with a metrics registry of its own; the future completes once it
   * listens and its consumers are registered.
   */
  public static Future<Gateway> deploy(Vertx vertx, GatewayOptions options) {
    return deploy(vertx, options, null);
  }

  /**
   * Deploys a gateway node whose meters go to {@code registry} (null: a registry of its own),
   * the one {@code /metrics} exposes: pass the registry of Vert.x's own metrics
   * (vertx-micrometer-metrics) to expose both.
   */
  public static Future<Gateway> deploy(Vertx vertx, GatewayOptions options, PrometheusMeterRegistry registry) {
    return deploy(vertx, options, registry, null, null);
  }

  /**
   * Deploys a gateway node that keeps history and presence in the given stores (null: in this
   * node's memory, for a standalone node); a clustered node passes stores held in the cluster.
   */
  public static Future<Gateway> deploy(Vertx vertx, GatewayOptions options, PrometheusMeterRegistry registry,
                                       HistoryStore historyStore, PresenceStore presenceStore) {
    Gateway gateway = new Gateway(new GatewayNode(vertx, options,
      registry == null ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : registry,
      historyStore == null ? new MemoryHistoryStore() : historyStore,
      presenceStore == null ? new MemoryPresenceStore() : presenceStore));
    return gateway.node.start().compose(v -> gateway.deployInstances()).map(gateway)
      .onSuccess(deployed -> deployed.node.health().register("gateway", promise -> promise.complete(deployed.node.stopping()
        ? Status.KO(new JsonObject().put("reason", "stopping")) : Status.OK(new JsonObject().put("connections", deployed.node.connectionCount())))));
  }

  /** The port it listens on (the one picked when the options asked for 0). */
  public int port() {
    return port;
  }

  public GatewayStats stats() {
    return node.stats();
  }

  /**
   * What the console shows of this node: {@link #stats()}, local subscribers per topic (the
   * 50 most subscribed), requests and latency per command, and the recent errors.
   */
  public JsonObject report() {
    return node.report();
  }

  /**
   * Where {@code /stats} gets the cluster's reports from (one JSON object per node, see
   * {@link #report()}); by default, this node's report alone. The code running a clustered
   * node sets one that reads every node's.
   */
  public Gateway clusterReports(Supplier<Future<JsonArray>> reports) {
    node.clusterReports(reports);
    return this;
  }

  /**
   * The readiness procedures behind {@code /health/ready}: the gateway registers {@code gateway}
   * (listening and not stopping); the code running it may add its own (handlers deployed,
   * cluster joined).
   */
  public HealthChecks healthChecks() {
    return node.health();
  }

  /**
   * Tells the gateway that cluster member {@code nodeId} left or died: the requests its
   * handlers held are answered 503 at once, conversations and streams included. The code
   * running a clustered node calls it from the cluster manager's membership events.
   */
  public void memberLeft(String nodeId) {
    node.memberLeft(nodeId);
  }

  /**
   * A cluster member is gone: its presence entries are removed and their leave events sent
   * (every survivor may call it; each entry is announced once). Completes with how many this
   * call removed.
   */
  public Future<Integer> presenceOfMemberGone(String nodeId) {
    return node.presence().nodeGone(nodeId);
  }

  /** True while this node holds an event-bus consumer for {@code topic}. */
  public boolean hasTopicConsumer(String topic) {
    return node.topics().hasConsumer(topic);
  }

  /** The node's topic registry, for tests of this package that look at a topic's consumer. */
  TopicRegistry topicRegistry() {
    return node.topics();
  }

  /**
   * Stops the node gracefully: no new connections, every client is closed with 1001 once its
   * open requests are answered (new requests get 503), and after
   * {@link GatewayOptions#getShutdownGraceMs()} whatever is left is closed.
   */
  public synchronized Future<Void> close() {
    if (closed != null) {
      return closed;
    }
    closed = node.connections().drain()
      // undeploying closes the servers and whatever connection is left
      .eventually(() -> Future.join(deployments.stream().map(node.vertx()::undeploy).collect(Collectors.toList())))
      .eventually(node::stop)
      .onComplete(ar -> LocalGateway.stopped(node.vertx(), node.options().getHost(), port, node.options().getTlsCertPath() != null))
      .mapEmpty();
    return closed;
  }

  /**
   * Every instance listens on the same port: Vert.x shares one server socket between the
   * verticles of a Vertx that listen on the same host and port. Port 0 is never shared (each
   * instance would get a random port of its own, and clients would reach the first's event loop
   * only); a negative port is Vert.x's shared random port, so 0 is asked for as one.
   */
  private Future<Void> deployInstances() {
    int requested = node.options().getPort() == 0 ? -1 - (SHARED_RANDOM_PORTS.getAndIncrement() & 0xffff) : node.options().getPort();
    List<GatewayVerticle> instances = new CopyOnWriteArrayList<>();
    return node.vertx()
      .deployVerticle(() -> {
        GatewayVerticle instance = new GatewayVerticle(node, requested);
        instances.add(instance);
        return instance;
      }, new DeploymentOptions().setInstances(node.options().getInstances()))
      .onSuccess(id -> {
        deployments.add(id);
        port = instances.get(0).actualPort();
        LocalGateway.listening(node.vertx(), node.options().getHost(), port, node.options().getTlsCertPath() != null);
      })
      .mapEmpty();
  }
}
