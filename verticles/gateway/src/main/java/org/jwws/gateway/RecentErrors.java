package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last errors a node answered or closed with, for the console: codes and the messages the
 * clients saw, never payloads. An error repeating any entry held (same kind, name, code and
 * message) only counts up on it and becomes the newest, so clients sending junk in a loop,
 * even several kinds of junk in turn, cannot push every other error out.
 */
final class RecentErrors {

  private static final int MAX_MESSAGE = 200;

  /** Oldest first, keyed by what makes two errors the same; a lookup, not a scan, per error. */
  private final Map<String, JsonObject> entries;

  RecentErrors(int capacity) {
    this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
        return size() > capacity;
      }
    };
  }

  /** {@code kind}: request, frame or close; {@code name}: the command, or null. */
  void add(String kind, String name, int code, String message) {
    String at = Instant.now().toString();
    String msg = message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
    String key = kind + '\0' + name + '\0' + code + '\0' + msg;
    synchronized (entries) {
      // removed and put back: the entry moves to the newest end
      JsonObject entry = entries.remove(key);
      if (entry == null) {
        entry = new JsonObject().put("kind", kind).put("code", code).put("msg", msg).put("count", 0);
        if (name != null) {
          entry.put("name", name);
        }
      }
      entries.put(key, entry.put("at", at).put("count", entry.getInteger("count") + 1));
    }
  }

  /** Newest first, copies. */
  JsonArray toJson() {
    List<JsonObject> oldestFirst;
    synchronized (entries) {
      oldestFirst = new ArrayList<>(entries.size());
      entries.values().forEach(entry -> oldestFirst.add(entry.copy()));
    }
    JsonArray out = new JsonArray();
    for (int i = oldestFirst.size() - 1; i >= 0; i--) {
      out.add(oldestFirst.get(i));
    }
    return out;
  }
}
