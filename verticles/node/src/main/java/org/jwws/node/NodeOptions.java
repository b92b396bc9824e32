package org.jwws.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import org.jwws.gateway.GatewayOptions;
import org.jwws.node.bridge.BridgeOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Everything a node can be told, the merged config ({@link NodeConfig}) read once: its Vert.x
 * and clustering, metrics, the TCP bridge, the gateway and the handlers to deploy. Each key is
 * the field name; the {@code DEFAULT_*} constants here and in {@link GatewayOptions} are the
 * only source of the defaults ({@code conf/node.json} holds the examples, not defaults).
 * Unknown keys are ignored.
 */
public final class NodeOptions {

  public static final boolean DEFAULT_CLUSTER = false;
  public static final String DEFAULT_CLUSTER_HOST = "127.0.0.1";
  /** 0: a free port; a fixed one lets a firewall rule name it. */
  public static final int DEFAULT_CLUSTER_PORT = 0;
  /**
   * As many event loops as cores (also what {@code 0} asks for): gateway and handler instances
   * share them, so a request often stays on its connection's loop instead of waking another thread.
   */
  public static final int DEFAULT_EVENT_LOOPS = Runtime.getRuntime().availableProcessors();
  public static final boolean DEFAULT_METRICS = true;
  public static final boolean DEFAULT_GATEWAY_ENABLED = true;
  /** The categories {@code metricsDisabled} may name: vertx-micrometer-metrics' own. */
  static final Set<String> METRICS_CATEGORIES = Arrays.stream(MetricsDomain.values())
    .map(MetricsDomain::toCategory).collect(Collectors.toCollection(TreeSet::new));

  private boolean cluster = DEFAULT_CLUSTER;
  private String clusterConfig;
  private String clusterName;
  private String clusterHost = DEFAULT_CLUSTER_HOST;
  private int clusterPort = DEFAULT_CLUSTER_PORT;
  private int eventLoops = DEFAULT_EVENT_LOOPS;
  private boolean metrics = DEFAULT_METRICS;
  private List<String> metricsDisabled = new ArrayList<>();
  private EventBusTls eventBusTls;
  private BridgeOptions bridge;
  private boolean gatewayEnabled = DEFAULT_GATEWAY_ENABLED;
  private GatewayOptions gateway = new GatewayOptions();
  private List<HandlerDeployment> handlers = new ArrayList<>();

  public NodeOptions() {
  }

  /** @throws IllegalArgumentException one message naming the first key that does not fit */
  public NodeOptions(JsonObject json) {
    setCluster(ConfigValues.bool(json, "", "cluster", DEFAULT_CLUSTER));
    setClusterConfig(ConfigValues.text(json, "", "clusterConfig", null));
    setClusterName(ConfigValues.text(json, "", "clusterName", null));
    setClusterHost(ConfigValues.text(json, "", "clusterHost", DEFAULT_CLUSTER_HOST));
    setClusterPort(ConfigValues.whole(json, "", "clusterPort", DEFAULT_CLUSTER_PORT));
    setEventLoops(ConfigValues.whole(json, "", "eventLoops", DEFAULT_EVENT_LOOPS));
    setMetrics(ConfigValues.bool(json, "", "metrics", DEFAULT_METRICS));
    ConfigValues.texts(json, "", "metricsDisabled").forEach(this::addMetricsDisabled);
    JsonObject tls = ConfigValues.object(json, "", "eventBusTls", null);
    setEventBusTls(tls == null ? null : EventBusTls.fromJson(tls));
    JsonObject bridgeJson = ConfigValues.object(json, "", "bridge", null);
    // an object turns the bridge on, unless it says "enabled": false
    if (bridgeJson != null && ConfigValues.bool(bridgeJson, "bridge.", "enabled", true)) {
      setBridge(new BridgeOptions(ConfigValues.checked(bridgeJson, new BridgeOptions(new JsonObject()).toJson(), "bridge.")));
    }
    JsonObject gatewayJson = ConfigValues.object(json, "", "gateway", new JsonObject());
    setGatewayEnabled(ConfigValues.bool(gatewayJson, "gateway.", "enabled", DEFAULT_GATEWAY_ENABLED));
    setGateway(GatewayKeys.options(gatewayJson));
    JsonArray handlerList = ConfigValues.list(json, "", "handlers");
    for (int i = 0; i < handlerList.size(); i++) {
      addHandler(HandlerDeployment.fromJson(handlerList.getValue(i), "handlers[" + i + "]"));
    }
  }

  /** Every key with its value, defaults included: the shape of {@code conf/node.json}. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("cluster", cluster)
      .put("clusterConfig", clusterConfig)
      .put("clusterName", clusterName)
      .put("clusterHost", clusterHost)
      .put("clusterPort", clusterPort)
      .put("eventLoops", eventLoops)
      .put("metrics", metrics)
      .put("metricsDisabled", new JsonArray(new ArrayList<>(metricsDisabled)))
      .put("eventBusTls", eventBusTls == null ? null : eventBusTls.toJson())
      .put("bridge", bridge == null ? null : bridge.toJson())
      .put("gateway", gateway.toJson().put("enabled", gatewayEnabled))
      .put("handlers", new JsonArray(handlers.stream().map(HandlerDeployment::toJson).collect(Collectors.toList())));
  }

  public boolean isCluster() {
    return cluster;
  }

  public NodeOptions setCluster(boolean cluster) {
    this.cluster = cluster;
    return this;
  }

  /** The Hazelcast XML file, or null: {@code conf/cluster.xml} when present, else the packed one. */
  public String getClusterConfig() {
    return clusterConfig;
  }

  public NodeOptions setClusterConfig(String clusterConfig) {
    this.clusterConfig = clusterConfig;
    return this;
  }

  /** The Hazelcast cluster name over the XML's, or null: the XML's. */
  public String getClusterName() {
    return clusterName;
  }

  public NodeOptions setClusterName(String clusterName) {
    this.clusterName = clusterName;
    return this;
  }

  /** The address of this node's event bus: it listens there only, and other nodes reach it there. */
  public String getClusterHost() {
    return clusterHost;
  }

  public NodeOptions setClusterHost(String clusterHost) {
    if (clusterHost == null || clusterHost.isBlank()) {
      throw new IllegalArgumentException("clusterHost must not be empty");
    }
    this.clusterHost = clusterHost;
    return this;
  }

  public int getClusterPort() {
    return clusterPort;
  }

  public NodeOptions setClusterPort(int clusterPort) {
    this.clusterPort = requireRange(clusterPort, 0, 65535, "clusterPort");
    return this;
  }

  public int getEventLoops() {
    return eventLoops;
  }

  /** Vert.x event loops of the node; 0: {@link #DEFAULT_EVENT_LOOPS}. */
  public NodeOptions setEventLoops(int eventLoops) {
    requireRange(eventLoops, 0, 1024, "eventLoops");
    this.eventLoops = eventLoops == 0 ? DEFAULT_EVENT_LOOPS : eventLoops;
    return this;
  }

  /** Vert.x's own metrics (event bus, HTTP, pools, JVM) next to the gateway's. */
  public boolean isMetrics() {
    return metrics;
  }

  public NodeOptions setMetrics(boolean metrics) {
    this.metrics = metrics;
    return this;
  }

  public List<String> getMetricsDisabled() {
    return List.copyOf(metricsDisabled);
  }

  /** A Vert.x metrics category to leave out; a name vertx-micrometer-metrics does not know is refused, not ignored. */
  public NodeOptions addMetricsDisabled(String category) {
    if (!METRICS_CATEGORIES.contains(category)) {
      throw new IllegalArgumentException("metricsDisabled: unknown category " + category + ", known: " + METRICS_CATEGORIES);
    }
    metricsDisabled.add(category);
    return this;
  }

  /** Mutual TLS between the nodes' event buses, or null: plain. */
  EventBusTls getEventBusTls() {
    return eventBusTls;
  }

  NodeOptions setEventBusTls(EventBusTls eventBusTls) {
    this.eventBusTls = eventBusTls;
    return this;
  }

  /** The TCP event-bus bridge, or null: off. */
  public BridgeOptions getBridge() {
    return bridge;
  }

  public NodeOptions setBridge(BridgeOptions bridge) {
    this.bridge = bridge;
    return this;
  }

  /** False: no HTTP port, a handler-only node. */
  public boolean isGatewayEnabled() {
    return gatewayEnabled;
  }

  public NodeOptions setGatewayEnabled(boolean gatewayEnabled) {
    this.gatewayEnabled = gatewayEnabled;
    return this;
  }

  /** The gateway's options; read on a handler-only node too (the history topics its handlers publish on). */
  public GatewayOptions getGateway() {
    return new GatewayOptions(gateway);
  }

  public NodeOptions setGateway(GatewayOptions gateway) {
    this.gateway = new GatewayOptions(gateway);
    return this;
  }

  List<HandlerDeployment> getHandlers() {
    return List.copyOf(handlers);
  }

  NodeOptions addHandler(HandlerDeployment handler) {
    handlers.add(java.util.Objects.requireNonNull(handler, "handler"));
    return this;
  }

  private static int requireRange(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be within [" + min + ", " + max + "]: " + value);
    }
    return value;
  }
}
