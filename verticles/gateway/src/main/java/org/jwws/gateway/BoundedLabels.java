package org.jwws.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values of a metrics label that clients choose (topic and command names). Every value is a
 * time series, so only the first {@code max} values admitted get a label of their own; the
 * rest share {@value #OTHER}. A client cannot grow {@code /metrics} without bound.
 */
final class BoundedLabels {

  static final String OTHER = "_other";

  private final int max;
  private final Set<String> named = ConcurrentHashMap.newKeySet();

  BoundedLabels(int max) {
    this.max = max;
  }

  /** The label of {@code value}, admitting it while there is room. */
  String admit(String value) {
    if (named.contains(value)) {
      return value;
    }
    // racing callers may overshoot max by the number of threads: still bounded
    if (named.size() < max) {
      named.add(value);
      return value;
    }
    return OTHER;
  }

  /** The label of {@code value} if it was admitted before, else {@code orElse}. */
  String lookup(String value, String orElse) {
    return named.contains(value) ? value : orElse;
  }
}
