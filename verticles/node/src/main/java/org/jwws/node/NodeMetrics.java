package org.jwws.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.UUID;

/**
 * Vert.x's own metrics (event bus, HTTP server and clients, pools, JVM) from
 * vertx-micrometer-metrics, in the registry the gateway adds its meters to and serves at
 * {@code /metrics}. Config key {@code metrics} (default true).
 */
final class NodeMetrics {

  private NodeMetrics() {
  }

  /** A registry for a node whose config enables metrics, else null (the gateway then keeps its own). */
  static PrometheusMeterRegistry registry(io.vertx.core.json.JsonObject config) {
    return config.getBoolean("metrics", true) ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
  }

  /** Turns Vert.x's metrics on, into {@code registry}; nothing when it is null. */
  static VertxBuilder apply(VertxBuilder builder, VertxOptions options, PrometheusMeterRegistry registry) {
    if (registry != null) {
      options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // vertx-micrometer-metrics keeps registries by name in a static map: one name per node,
        // so nodes sharing a JVM (tests) keep their meters apart
        .setRegistryName("jw-node-" + UUID.randomUUID()));
      builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    return builder.with(options);
  }
}
