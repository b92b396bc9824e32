package org.jwws.node;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.Gateway;
import org.jwws.gateway.GatewayOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A running node: Vert.x (standalone or clustered), the gateway unless disabled, and the
 * handler verticles the config names.
 */
public final class Node {

  private static final Logger log = Logger.getLogger(Node.class.getName());
  public static final long DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

  private final Vertx vertx;
  private final JsonObject config;
  private Gateway gateway;

  private Node(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Starts a node from a complete config (see {@link NodeConfig}). */
  public static Future<Node> start(JsonObject config) {
    return createVertx(config).compose(vertx -> {
      Node node = new Node(vertx, config);
      return node.deploy().map(node).recover(err -> vertx.close().transform(v -> Future.failedFuture(err)));
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The gateway, or null on a handler-only node. */
  public Gateway gateway() {
    return gateway;
  }

  /**
   * Stops the node: the gateway says goodbye to its clients (1001) and the cluster is left
   * before Hazelcast itself stops, so other nodes stop routing here at once.
   */
  public Future<Void> stop() {
    Future<Void> gatewayClosed = gateway == null ? Future.succeededFuture() : gateway.close();
    return gatewayClosed.eventually(vertx::close);
  }

  private static Future<Vertx> createVertx(JsonObject config) {
    VertxOptions options = new VertxOptions();
    if (!config.getBoolean("cluster", false)) {
      return Future.succeededFuture(Vertx.vertx(options));
    }
    return Clustering.createVertx(options, config);
  }

  private Future<Void> deploy() {
    JsonObject gatewayConfig = NodeConfig.gateway(config);
    Future<Void> gatewayReady = Future.succeededFuture();
    if (gatewayConfig.getBoolean("enabled", true)) {
      JsonObject options = gatewayConfig.copy();
      options.remove("enabled");
      gatewayReady = Gateway.deploy(vertx, new GatewayOptions(options)).onSuccess(gw -> gateway = gw).mapEmpty();
    }
    return gatewayReady.compose(v -> deployHandlers());
  }

  private Future<Void> deployHandlers() {
    List<Future<String>> deployed = new ArrayList<>();
    for (Object entry : NodeConfig.handlers(config)) {
      JsonObject handler = (JsonObject) entry;
      String className = handler.getString("class");
      DeploymentOptions options = new DeploymentOptions()
        .setThreadingModel(handler.getBoolean("worker", true) ? ThreadingModel.WORKER : ThreadingModel.EVENT_LOOP)
        .setInstances(handler.getInteger("instances", 1))
        .setConfig(handler.getJsonObject("config", new JsonObject()));
      deployed.add(vertx.deployVerticle(className, options)
        .onSuccess(id -> log.info("deployed " + className + (options.getThreadingModel() == ThreadingModel.WORKER ? " (worker)" : ""))));
    }
    return Future.all(deployed).mapEmpty();
  }
}
