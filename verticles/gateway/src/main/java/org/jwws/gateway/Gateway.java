package org.jwws.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running gateway node: {@link GatewayOptions#getInstances()} gateway verticles sharing one
 * port, one topic registry and one broadcast consumer.
 * <pre>{@code
 * Gateway.deploy(vertx, new GatewayOptions().setPort(8080)).onSuccess(gw -> ...);
 * }</pre>
 */
public final class Gateway {

  private final GatewayNode node;
  private final List<String> deployments = new ArrayList<>(1);
  private int port;

  private Gateway(GatewayNode node) {
    this.node = node;
  }

  /** Deploys a gateway node; the future completes once it listens and its consumers are registered. */
  public static Future<Gateway> deploy(Vertx vertx, GatewayOptions options) {
    Gateway gateway = new Gateway(new GatewayNode(vertx, options));
    return gateway.node.start().compose(v -> gateway.deployInstances()).map(gateway);
  }

  /** The port it listens on (the one picked when the options asked for 0). */
  public int port() {
    return port;
  }

  public GatewayStats stats() {
    int subscriptions = 0;
    int openRequests = 0;
    for (Connection connection : node.connections()) {
      subscriptions += connection.subscriptions();
      openRequests += connection.openRequests();
    }
    NodeCounters counters = node.counters();
    return new GatewayStats(node.connections().size(), node.topics().size(), subscriptions, openRequests,
      counters.publicationsReceived.sum(), counters.framesIn.sum(), counters.framesOut.sum());
  }

  /** True while this node holds an event-bus consumer for {@code topic}. */
  public boolean hasTopicConsumer(String topic) {
    return node.topics().hasConsumer(topic);
  }

  /** Undeploys the verticles (closing their servers and connections) and the node's consumers. */
  public Future<Void> close() {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      undeployed.add(node.vertx().undeploy(id));
    }
    return Future.join(undeployed).eventually(node::stop).mapEmpty();
  }

  /**
   * All instances ask for the same port: Vert.x shares one server socket between the verticles
   * of a deployment that listen on the same requested port, 0 included.
   */
  private Future<Void> deployInstances() {
    List<GatewayVerticle> instances = new CopyOnWriteArrayList<>();
    return node.vertx()
      .deployVerticle(() -> {
        GatewayVerticle instance = new GatewayVerticle(node, node.options().getPort());
        instances.add(instance);
        return instance;
      }, new DeploymentOptions().setInstances(node.options().getInstances()))
      .onSuccess(id -> {
        deployments.add(id);
        port = instances.get(0).actualPort();
      })
      .mapEmpty();
  }
}
