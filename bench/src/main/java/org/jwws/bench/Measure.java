package org.jwws.bench;

import org.HdrHistogram.ConcurrentHistogram;
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

  /** Microseconds up to a minute, 3 digits, safe to record from several event loops. */
  static Histogram latencyHistogram() {
    return new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
  }

  /** Records the microseconds from {@code startNanos} to {@code nowNanos}, clamped to the histogram's range. */
  static void recordMicros(Histogram micros, long startNanos, long nowNanos) {
    micros.recordValue(Math.max(0, Math.min((nowNanos - startNanos) / 1000, micros.getHighestTrackableValue())));
  }
}
