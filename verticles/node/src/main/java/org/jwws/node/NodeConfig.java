package org.jwws.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.GatewayOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's configuration: the JSON file (or the defaults packed in the jar), then
 * environment variables, then command-line flags, each overriding the one before.
 * <ul>
 *   <li>{@code cluster}, {@code clusterConfig}, {@code clusterName}, {@code clusterHost}: clustering</li>
 *   <li>{@code gateway}: {@link GatewayOptions} keys, plus {@code enabled}</li>
 *   <li>{@code handlers}: verticles to deploy, {@code {"class", "worker", "instances", "config"}}</li>
 * </ul>
 */
final class NodeConfig {

  static final String DEFAULT_FILE = "conf/node.json";
  static final String DEFAULT_RESOURCE = "node.json";
  /** Environment variables naming a gateway key: {@code JWGW_REQUEST_TIMEOUT_MS} for {@code requestTimeoutMs}. */
  static final String ENV_PREFIX = "JWGW_";

  private NodeConfig() {
  }

  /** The file named by {@code --conf}, else {@value #DEFAULT_FILE} when present, else the packed defaults. */
  static JsonObject load(String file) throws IOException {
    if (file != null) {
      return new JsonObject(Files.readString(Path.of(file), StandardCharsets.UTF_8));
    }
    Path local = Path.of(DEFAULT_FILE);
    if (Files.isRegularFile(local)) {
      return new JsonObject(Files.readString(local, StandardCharsets.UTF_8));
    }
    try (InputStream in = NodeConfig.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IOException(DEFAULT_RESOURCE + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Applies {@code JWGW_*} variables: {@code JWGW_CLUSTER}, {@code JWGW_CLUSTER_NAME} and gateway keys. */
  static JsonObject applyEnvironment(JsonObject config, Map<String, String> env) {
    JsonObject gateway = gateway(config);
    JsonObject defaults = new GatewayOptions().toJson();
    for (Map.Entry<String, String> var : env.entrySet()) {
      if (!var.getKey().startsWith(ENV_PREFIX)) {
        continue;
      }
      String key = camelCase(var.getKey().substring(ENV_PREFIX.length()));
      if (key.equals("cluster")) {
        config.put("cluster", Boolean.parseBoolean(var.getValue()));
      } else if (key.equals("enabled")) {
        gateway.put("enabled", Boolean.parseBoolean(var.getValue()));
      } else if (key.equals("clusterName") || key.equals("clusterHost") || key.equals("clusterConfig")) {
        config.put(key, var.getValue());
      } else if (defaults.containsKey(key)) {
        gateway.put(key, typed(defaults.getValue(key), var.getValue(), var.getKey()));
      }
    }
    return config;
  }

  static JsonObject gateway(JsonObject config) {
    return child(config, "gateway", JsonObject::new);
  }

  static JsonArray handlers(JsonObject config) {
    return child(config, "handlers", JsonArray::new);
  }

  /** The config's {@code key}, created empty (and kept) when absent, so flags can add to it. */
  private static <T> T child(JsonObject config, String key, Supplier<T> empty) {
    @SuppressWarnings("unchecked")
    T value = (T) config.getValue(key);
    if (value == null) {
      value = empty.get();
      config.put(key, value);
    }
    return value;
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

  private static Object typed(Object example, String value, String name) {
    try {
      if (example instanceof Integer) {
        return Integer.parseInt(value);
      }
      if (example instanceof Long) {
        return Long.parseLong(value);
      }
      if (example instanceof Boolean) {
        return Boolean.parseBoolean(value);
      }
      if (example instanceof JsonObject) {
        return new JsonObject(value);
      }
      if (example instanceof JsonArray) {
        // a JSON array, or a comma-separated list: JWGW_ALLOWED_ORIGINS=https://a.example,https://b.example
        return value.trim().startsWith("[") ? new JsonArray(value)
          : new JsonArray(Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).collect(Collectors.toList()));
      }
      return value;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + " has a bad value: " + value, e);
    }
  }
}
