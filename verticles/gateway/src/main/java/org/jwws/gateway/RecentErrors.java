package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The last errors a node answered or closed with, for the console: codes and the messages the
 * clients saw, never payloads.
 */
final class RecentErrors {

  private static final int MAX_MESSAGE = 200;

  private final int capacity;
  private final ArrayDeque<JsonObject> entries;

  RecentErrors(int capacity) {
    this.capacity = capacity;
    this.entries = new ArrayDeque<>(capacity);
  }

  /** {@code kind}: request, frame or close; {@code name}: the command, or null. */
  void add(String kind, String name, int code, String message) {
    JsonObject entry = new JsonObject()
      .put("at", Instant.now().toString())
      .put("kind", kind)
      .put("code", code)
      .put("msg", message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...");
    if (name != null) {
      entry.put("name", name);
    }
    synchronized (entries) {
      if (entries.size() == capacity) {
        entries.poll();
      }
      entries.add(entry);
    }
  }

  /** Newest first. */
  JsonArray toJson() {
    JsonArray out = new JsonArray();
    synchronized (entries) {
      entries.descendingIterator().forEachRemaining(out::add);
    }
    return out;
  }
}
