package org.jwws.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.jwws.shared.PublishWindows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Vert.x's own metrics (event bus, HTTP server and clients, pools, JVM) from
 * vertx-micrometer-metrics, in the registry the gateway adds its meters to and serves at
 * {@code /metrics}. Config keys {@code metrics} (default true) and {@code metricsDisabled}:
 * categories to leave out ({@code eventbus}, {@code http.server}, {@code http.client},
 * {@code net.server}, {@code net.client}, {@code pool}, {@code datagram}, {@code verticle}). Event-bus metrics cost the most:
 * every request is several event-bus messages (see the README's "Metrics").
 */
final class NodeMetrics {

  private static final Set<String> HTTP_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

  private NodeMetrics() {
  }

  /** The categories to leave out; a name vertx-micrometer-metrics does not know stops the node, not silently ignored. */
  static Set<String> disabled(JsonObject config) {
    Set<String> known = Arrays.stream(MetricsDomain.values()).map(MetricsDomain::toCategory).collect(Collectors.toSet());
    Set<String> categories = new HashSet<>();
    for (Object category : config.getJsonArray("metricsDisabled", new JsonArray())) {
      if (!known.contains(String.valueOf(category))) {
        throw new IllegalArgumentException("metricsDisabled: unknown category " + category + ", known: " + new TreeSet<>(known));
      }
      categories.add(String.valueOf(category));
    }
    return categories;
  }

  /** A registry for a node whose config enables metrics, else null (the gateway then keeps its own). */
  static PrometheusMeterRegistry registry(JsonObject config) {
    if (!config.getBoolean("metrics", true)) {
      return null;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Vert.x labels HTTP metrics with the request's method, any token a client sends: only the
    // standard methods keep their name, so made-up ones cannot add series
    registry.config().meterFilter(MeterFilter.replaceTagValues("method", method -> HTTP_METHODS.contains(method) ? method : "other"));
    return registry;
  }

  /** The bound of this node's {@code Backend.publish} towards other nodes: what waits for credit, what was refused. */
  static void publishWindows(PrometheusMeterRegistry registry, PublishWindows windows) {
    if (registry == null) {
      return;
    }
    Gauge.builder("jw.backend.publications.waiting", windows, PublishWindows::queued)
      .description("Backend publications waiting for remote nodes to credit earlier ones").register(registry);
    FunctionCounter.builder("jw.backend.publications.refused", windows, PublishWindows::refused)
      .description("Backend publications refused: the queue for remote nodes' credit was full").register(registry);
  }

  /** Turns Vert.x's metrics on, into {@code registry}; nothing when it is null. */
  static VertxBuilder apply(VertxBuilder builder, VertxOptions options, JsonObject config, PrometheusMeterRegistry registry) {
    if (registry != null) {
      options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // vertx-micrometer-metrics keeps registries by name in a static map: one name per node,
        // so nodes sharing a JVM (tests) keep their meters apart
        .setRegistryName("jw-node-" + UUID.randomUUID())
        .setDisabledMetricsCategories(disabled(config)));
      builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    return builder.with(options);
  }
}
