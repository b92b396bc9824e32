package org.jwws.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Vert.x's own metrics (event bus, HTTP server and clients, pools, JVM) from
 * vertx-micrometer-metrics, in the registry the gateway adds its meters to and serves at
 * {@code /metrics}. Config keys {@code metrics} (default true) and {@code metricsDisabled}:
 * categories to leave out ({@code eventbus}, {@code http.server}, {@code http.client},
 * {@code net.server}, {@code net.client}, {@code pool}, ...). Event-bus metrics cost the most:
 * every request is several event-bus messages (see the README's "Metrics").
 */
final class NodeMetrics {

  private NodeMetrics() {
  }

  private static Set<String> disabled(JsonObject config) {
    Set<String> categories = new HashSet<>();
    config.getJsonArray("metricsDisabled", new JsonArray()).forEach(category -> categories.add(String.valueOf(category)));
    return categories;
  }

  /** A registry for a node whose config enables metrics, else null (the gateway then keeps its own). */
  static PrometheusMeterRegistry registry(JsonObject config) {
    return config.getBoolean("metrics", true) ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
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
