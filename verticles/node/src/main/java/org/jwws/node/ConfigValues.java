package org.jwws.node;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of node config keys: a value of the wrong type is one error naming the key by its
 * whole path ({@code handlers[1].instances}), never a ClassCastException later. A key that is
 * absent or null takes its default.
 */
final class ConfigValues {

  private ConfigValues() {
  }

  static boolean bool(JsonObject json, String name, String key, boolean defaultValue) {
    return typed(json, name, key, Boolean.class, "true or false", defaultValue);
  }

  static int whole(JsonObject json, String name, String key, int defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Integer || value instanceof Long && (long) value == ((Long) value).intValue()) {
      return ((Number) value).intValue();
    }
    throw wrongType(name + key, "a whole number", value);
  }

  static String text(JsonObject json, String name, String key, String defaultValue) {
    String value = typed(json, name, key, String.class, "text", defaultValue);
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(name + key + " must not be empty");
    }
    return value;
  }

  static JsonObject object(JsonObject json, String name, String key, JsonObject defaultValue) {
    return typed(json, name, key, JsonObject.class, "a JSON object", defaultValue);
  }

  static JsonArray list(JsonObject json, String name, String key) {
    return typed(json, name, key, JsonArray.class, "a JSON array", new JsonArray());
  }

  /** The text entries of the list {@code key}. */
  static List<String> texts(JsonObject json, String name, String key) {
    JsonArray values = list(json, name, key);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (!(values.getValue(i) instanceof String)) {
        throw wrongType(name + key + "[" + i + "]", "text", values.getValue(i));
      }
      texts.add(values.getString(i));
    }
    return texts;
  }

  /**
   * {@code json} without its null values (null: the default, as at the top level), each value
   * checked against the type of its key's default in {@code defaults} (keys without one, or
   * unknown, are left to the options reading them).
   */
  static JsonObject checked(JsonObject json, JsonObject defaults, String name) {
    JsonObject checked = new JsonObject();
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      if (value == null) {
        continue;
      }
      Object example = defaults.getValue(key);
      if (example != null && !fits(example, value)) {
        throw wrongType(name + key, expected(example), value);
      }
      checked.put(key, value);
    }
    return checked;
  }

  /** Whether {@code value} has the type of {@code example}, a default; numbers are whole. */
  static boolean fits(Object example, Object value) {
    if (example instanceof Integer || example instanceof Long) {
      return value instanceof Integer || value instanceof Long;
    }
    return example.getClass().isInstance(value);
  }

  /** What a value of the type of {@code example} is, for an error message. */
  static String expected(Object example) {
    if (example instanceof Number) {
      return "a whole number";
    }
    if (example instanceof Boolean) {
      return "true or false";
    }
    if (example instanceof JsonObject) {
      return "a JSON object";
    }
    return example instanceof JsonArray ? "a JSON array" : "text";
  }

  static IllegalArgumentException wrongType(String name, String expected, Object value) {
    return new IllegalArgumentException(name + " must be " + expected + ", not " + Json.encode(value));
  }

  private static <T> T typed(JsonObject json, String name, String key, Class<T> type, String expected, T defaultValue) {
    // getValue wraps maps and lists as JsonObject and JsonArray
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!type.isInstance(value)) {
      throw wrongType(name + key, expected, value);
    }
    return type.cast(value);
  }
}
