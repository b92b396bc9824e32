package org.jwws.bench;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The figures of one measured phase against one server.
 */
final class Measure {

  final Map<String, Double> values = new LinkedHashMap<>();

  Measure put(String name, double value) {
    values.put(name, value);
    return this;
  }

  double get(String name) {
    return values.getOrDefault(name, Double.NaN);
  }

  /** p50 ... max of a latency histogram in microseconds, as milliseconds. */
  Measure latencies(String prefix, Histogram micros) {
    put(prefix + "_p50_ms", micros.getValueAtPercentile(50) / 1000.0);
    put(prefix + "_p90_ms", micros.getValueAtPercentile(90) / 1000.0);
    put(prefix + "_p99_ms", micros.getValueAtPercentile(99) / 1000.0);
    put(prefix + "_p999_ms", micros.getValueAtPercentile(99.9) / 1000.0);
    put(prefix + "_max_ms", micros.getMaxValue() / 1000.0);
    return this;
  }

  static Histogram latencyHistogram() {
    return new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
  }
}
