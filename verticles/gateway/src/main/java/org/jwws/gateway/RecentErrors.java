package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The last errors a node answered or closed with, for the console: codes and the messages the
 * clients saw, never payloads. An error repeating the newest one only counts up on it, so one
 * client sending the same junk in a loop cannot push every other error out.
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
    String at = Instant.now().toString();
    String msg = message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
    JsonObject entry = new JsonObject().put("at", at).put("kind", kind).put("code", code).put("msg", msg).put("count", 1);
    if (name != null) {
      entry.put("name", name);
    }
    synchronized (entries) {
      JsonObject newest = entries.peekLast();
      if (newest != null && sameError(newest, entry)) {
        newest.put("at", at).put("count", newest.getInteger("count") + 1);
        return;
      }
      if (entries.size() == capacity) {
        entries.poll();
      }
      entries.add(entry);
    }
  }

  /** Newest first, copies. */
  JsonArray toJson() {
    JsonArray out = new JsonArray();
    synchronized (entries) {
      entries.descendingIterator().forEachRemaining(entry -> out.add(entry.copy()));
    }
    return out;
  }

  private static boolean sameError(JsonObject a, JsonObject b) {
    return Objects.equals(a.getString("kind"), b.getString("kind")) && Objects.equals(a.getString("name"), b.getString("name"))
      && Objects.equals(a.getInteger("code"), b.getInteger("code")) && Objects.equals(a.getString("msg"), b.getString("msg"));
  }
}
