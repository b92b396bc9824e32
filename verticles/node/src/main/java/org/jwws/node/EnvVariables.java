package org.jwws.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Our rule from {@code JWGW_*} environment variables to config keys. {@code JWGW_<UPPER_SNAKE>}
 * names the camel-case key: a top-level key of {@link NodeOptions} ({@code JWGW_CLUSTER_NAME}
 * for {@code clusterName}), else a gateway key ({@code JWGW_REQUEST_TIMEOUT_MS} for
 * {@code gateway.requestTimeoutMs}). Values take the type of the key's default. Other
 * variables are ignored. The keys and their types come from the code, never from a config
 * file: trimming {@code conf/node.json} changes nothing here.
 */
final class EnvVariables {

  static final String PREFIX = "JWGW_";
  /**
   * Keys holding lists of objects, empty by default, so always JSON, never comma-separated
   * ({@code JWGW_HISTORY='[{"topics": "chat.*", "size": 100}]'}).
   */
  private static final Set<String> OBJECT_LISTS = Set.of("history", "handlers");
  /** Top-level keys that are off (null) by default and objects when set: {@code JWGW_BRIDGE={"port":7000}}. */
  private static final Set<String> OFF_OBJECTS = Set.of("bridge", "eventBusTls");

  private EnvVariables() {
  }

  /**
   * The config the variables set.
   *
   * @throws IllegalArgumentException naming the first variable whose value does not fit its type
   */
  static JsonObject toConfig(Map<String, ?> env) {
    // every key with its default: the names, and the types values take
    JsonObject defaults = new NodeOptions().toJson();
    JsonObject gatewayDefaults = defaults.getJsonObject("gateway");
    JsonObject topLevel = new JsonObject();
    JsonObject gateway = new JsonObject();
    env.forEach((name, value) -> {
      if (!name.startsWith(PREFIX) || value == null) {
        return;
      }
      String key = camelCase(name.substring(PREFIX.length()));
      if (defaults.containsKey(key)) {
        topLevel.put(key, typed(example(key, defaults), value.toString(), name));
      } else if (gatewayDefaults.containsKey(key)) {
        gateway.put(key, typed(example(key, gatewayDefaults), value.toString(), name));
      }
    });
    // a gateway key (JWGW_PORT) wins over a whole JWGW_GATEWAY object
    return gateway.isEmpty() ? topLevel : topLevel.mergeIn(new JsonObject().put("gateway", gateway), true);
  }

  /** A value of the type {@code key} takes. */
  private static Object example(String key, JsonObject defaults) {
    if (OBJECT_LISTS.contains(key)) {
      return new JsonArray().add(new JsonObject());
    }
    return defaults.getValue(key) == null && OFF_OBJECTS.contains(key) ? new JsonObject() : defaults.getValue(key);
  }

  /** {@code REQUEST_TIMEOUT_MS} to {@code requestTimeoutMs}. */
  static String camelCase(String upperSnake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : upperSnake.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** {@code value} as the type of {@code example}; text when the default is text or unset. */
  private static Object typed(Object example, String value, String name) {
    try {
      if (example instanceof Integer) {
        return Integer.parseInt(value.trim());
      }
      if (example instanceof Long) {
        return Long.parseLong(value.trim());
      }
      if (example instanceof Boolean) {
        return bool(value.trim());
      }
      if (example instanceof JsonObject) {
        return new JsonObject(value);
      }
      if (example instanceof JsonArray) {
        return list((JsonArray) example, value);
      }
      return value;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + " has a bad value: " + value + " (" + expected(example) + ")", e);
    }
  }

  /** A JSON array, or for lists of text a comma-separated one: {@code https://a.example,https://b.example}. */
  private static JsonArray list(JsonArray example, String value) {
    if (value.trim().startsWith("[")) {
      return new JsonArray(value);
    }
    if (!textList(example)) {
      throw new IllegalArgumentException("not a JSON array");
    }
    return new JsonArray(Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).collect(Collectors.toList()));
  }

  /** A list of text, or an empty one: a list of objects (see {@link #example}) is not. */
  private static boolean textList(Object example) {
    return example instanceof JsonArray && ((JsonArray) example).stream().allMatch(String.class::isInstance);
  }

  private static boolean bool(String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException("not true or false");
  }

  private static String expected(Object example) {
    return textList(example) ? "a JSON array or a comma-separated list" : ConfigValues.expected(example);
  }
}
