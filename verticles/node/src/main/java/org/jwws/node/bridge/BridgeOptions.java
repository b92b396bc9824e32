package org.jwws.node.bridge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Glob;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The node config's {@code bridge} object: where the TCP event-bus bridge listens, how its
 * clients prove themselves, and what they may do (globs of command and topic names).
 */
public final class BridgeOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7000;
  public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
  public static final int DEFAULT_MAX_OPEN_REQUESTS = 1000;
  public static final int DEFAULT_MAX_REGISTRATIONS = 1000;
  public static final List<String> DEFAULT_GLOBS = List.of("*");
  static final int MIN_FRAME_SIZE = 256;
  static final int MAX_FRAME_SIZE = 16 * 1024 * 1024;

  private final String host;
  private final int port;
  private final String token;
  private final String tlsCertPath;
  private final String tlsKeyPath;
  private final int maxFrameSize;
  private final int maxOpenRequests;
  private final int maxRegistrations;
  private final List<Glob> commands;
  private final List<Glob> publish;
  private final List<Glob> subscribe;
  private final boolean broadcast;

  /** @throws IllegalArgumentException naming the first key that does not fit */
  public BridgeOptions(JsonObject config) {
    try {
      host = config.getString("host", DEFAULT_HOST);
      port = range("port", config.getInteger("port", DEFAULT_PORT), 0, 65535);
      token = config.getString("token");
      if (token != null && token.isEmpty()) {
        throw new IllegalArgumentException("bridge.token is empty");
      }
      tlsCertPath = config.getString("tlsCertPath");
      tlsKeyPath = config.getString("tlsKeyPath");
      if ((tlsCertPath == null) != (tlsKeyPath == null)) {
        throw new IllegalArgumentException("bridge.tlsCertPath and bridge.tlsKeyPath go together");
      }
      maxFrameSize = range("maxFrameSize", config.getInteger("maxFrameSize", DEFAULT_MAX_FRAME_SIZE), MIN_FRAME_SIZE, MAX_FRAME_SIZE);
      maxOpenRequests = range("maxOpenRequests", config.getInteger("maxOpenRequests", DEFAULT_MAX_OPEN_REQUESTS), 1, 1_000_000);
      maxRegistrations = range("maxRegistrations", config.getInteger("maxRegistrations", DEFAULT_MAX_REGISTRATIONS), 1, 100_000);
      commands = globs(config, "commands");
      publish = globs(config, "publish");
      subscribe = globs(config, "subscribe");
      broadcast = config.getBoolean("broadcast", false);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("bridge: a key has the wrong type: " + e.getMessage(), e);
    }
  }

  /** The options as the config's {@code bridge} object: every key, defaults included. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("token", token)
      .put("tlsCertPath", tlsCertPath)
      .put("tlsKeyPath", tlsKeyPath)
      .put("maxFrameSize", maxFrameSize)
      .put("maxOpenRequests", maxOpenRequests)
      .put("maxRegistrations", maxRegistrations)
      .put("commands", texts(commands))
      .put("publish", texts(publish))
      .put("subscribe", texts(subscribe))
      .put("broadcast", broadcast);
  }

  private static JsonArray texts(List<Glob> globs) {
    return new JsonArray(globs.stream().map(Glob::toString).collect(Collectors.toList()));
  }

  /** True when the node config turns the bridge on: a {@code bridge} object without {@code "enabled": false}. */
  public static boolean enabled(JsonObject nodeConfig) {
    Object bridge = nodeConfig.getValue("bridge");
    return bridge instanceof JsonObject && ((JsonObject) bridge).getBoolean("enabled", true);
  }

  private static int range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("bridge." + key + " must be " + min + " to " + max + ", not " + value);
    }
    return value;
  }

  private static List<Glob> globs(JsonObject config, String key) {
    JsonArray values = config.getJsonArray(key, new JsonArray(DEFAULT_GLOBS));
    List<Glob> globs = new ArrayList<>();
    for (Object value : values) {
      if (!(value instanceof String) || ((String) value).isEmpty()) {
        throw new IllegalArgumentException("bridge." + key + " holds names or globs, not " + value);
      }
      globs.add(Glob.of((String) value));
    }
    return List.copyOf(globs);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The shared secret a client shows in its first frame, or null: none asked. */
  String token() {
    return token;
  }

  String tlsCertPath() {
    return tlsCertPath;
  }

  String tlsKeyPath() {
    return tlsKeyPath;
  }

  int maxFrameSize() {
    return maxFrameSize;
  }

  int maxOpenRequests() {
    return maxOpenRequests;
  }

  int maxRegistrations() {
    return maxRegistrations;
  }

  boolean mayServe(String command) {
    return Glob.anyMatches(commands, command);
  }

  boolean mayPublish(String topic) {
    return Glob.anyMatches(publish, topic);
  }

  boolean maySubscribe(String topic) {
    return Glob.anyMatches(subscribe, topic);
  }

  boolean mayBroadcast() {
    return broadcast;
  }
}
