package org.jwws.gateway;

import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Glob;

/**
 * One entry of the {@code history} config: the topics it covers (a glob), how many of their
 * last publications are kept ({@code size}) and for how long ({@code ttlMs}).
 */
public final class HistoryRule {

  public static final int DEFAULT_SIZE = 100;
  public static final int MAX_SIZE = 10_000;
  public static final long DEFAULT_TTL_MS = 3_600_000;

  private final String topics;
  private final Glob glob;
  private final int size;
  private final long ttlMs;

  public HistoryRule(String topics, int size, long ttlMs) {
    this.glob = Glob.of(topics);
    this.topics = topics;
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("history size must be within [1, " + MAX_SIZE + "]: " + size);
    }
    if (ttlMs <= 0) {
      throw new IllegalArgumentException("history ttlMs must be positive: " + ttlMs);
    }
    this.size = size;
    this.ttlMs = ttlMs;
  }

  /** {@code {"topics": GLOB, "size": N, "ttlMs": T}}; size and ttlMs have defaults. */
  public static HistoryRule fromJson(Object entry) {
    if (!(entry instanceof JsonObject) || !(((JsonObject) entry).getValue("topics") instanceof String)) {
      throw new IllegalArgumentException("a history entry is {\"topics\": GLOB, \"size\": N, \"ttlMs\": T}: " + entry);
    }
    JsonObject json = (JsonObject) entry;
    return new HistoryRule(json.getString("topics"), json.getInteger("size", DEFAULT_SIZE), json.getLong("ttlMs", DEFAULT_TTL_MS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("topics", topics).put("size", size).put("ttlMs", ttlMs);
  }

  public boolean matches(String topic) {
    return glob.matches(topic);
  }

  public String topics() {
    return topics;
  }

  public int size() {
    return size;
  }

  public long ttlMs() {
    return ttlMs;
  }
}
