package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Glob;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a gateway node can be told: where it listens, its timeouts and its limits. Filled
 * from the {@code gateway} object of the node config; each key is the field name.
 */
public class GatewayOptions {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_WS_PATH = "/ws";
  /** Gateway verticle instances, i.e. event loops serving WebSockets. */
  public static final int DEFAULT_INSTANCES = Runtime.getRuntime().availableProcessors();
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024;
  public static final int MAX_FRAME_SIZE_LIMIT = 16 * 1024 * 1024;
  public static final int DEFAULT_MAX_OPEN_REQUESTS = 100;
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 1_000;
  /** Dialogue rounds held on a connection for handlers that have not attached yet. */
  public static final int DEFAULT_MAX_PENDING_ROUNDS = 16;
  public static final long DEFAULT_PING_INTERVAL_MS = 30_000;
  public static final long DEFAULT_PONG_TIMEOUT_MS = 10_000;
  public static final String DEFAULT_SRC = "gateway";
  /** Bytes waiting to be written to one client before it counts as a slow consumer. */
  public static final int DEFAULT_MAX_WRITE_QUEUE_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /** Publications a connection may make per second, sustained. */
  public static final int DEFAULT_PUBLISH_RATE = 100;
  /** Publications a connection may make in a burst above the rate. */
  public static final int DEFAULT_PUBLISH_BURST = 200;
  /** Topics a connection may name in sub and unsub frames per second, sustained. */
  public static final int DEFAULT_SUBSCRIBE_RATE = 100;
  /** Topics a connection may name in sub and unsub frames in a burst: a full set of subscriptions at once. */
  public static final int DEFAULT_SUBSCRIBE_BURST = DEFAULT_MAX_SUBSCRIPTIONS;
  /** How long a topic with no local subscriber left keeps its consumer registered. */
  public static final long DEFAULT_TOPIC_LINGER_MS = 2_000;
  public static final int DEFAULT_MAX_JSON_DEPTH = 32;
  public static final int DEFAULT_MAX_JSON_NUMBER_LENGTH = 64;
  /** Distinct topics, and distinct commands, that get a metrics label of their own. */
  public static final int DEFAULT_METRICS_MAX_LABELS = 100;
  /** How long a stopping node lets open requests finish before it closes their connections. */
  public static final long DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
  /** Entries a presence answer lists at most; {@code count} still says how many there are. */
  public static final int DEFAULT_MAX_PRESENCE_LIST = 1_000;
  /** Requests for a command served in this JVM go to its handler instances directly (see {@link #isLocalCalls()}). */
  public static final boolean DEFAULT_LOCAL_CALLS = true;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String wsPath = DEFAULT_WS_PATH;
  private int instances = DEFAULT_INSTANCES;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private Map<String, Long> commandTimeoutsMs = new HashMap<>();
  private List<String> orderedCommands = new ArrayList<>();
  /** {@link #orderedCommands}, compiled: matched on every request. */
  private List<Glob> orderedCommandGlobs = new ArrayList<>();
  private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private int maxOpenRequests = DEFAULT_MAX_OPEN_REQUESTS;
  private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
  private int maxPendingRounds = DEFAULT_MAX_PENDING_ROUNDS;
  private long pingIntervalMs = DEFAULT_PING_INTERVAL_MS;
  private long pongTimeoutMs = DEFAULT_PONG_TIMEOUT_MS;
  private String src = DEFAULT_SRC;
  private long shutdownGraceMs = DEFAULT_SHUTDOWN_GRACE_MS;
  private int maxWriteQueueBytes = DEFAULT_MAX_WRITE_QUEUE_BYTES;
  private List<String> dropOldestTopics = new ArrayList<>();
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int publishRate = DEFAULT_PUBLISH_RATE;
  private int publishBurst = DEFAULT_PUBLISH_BURST;
  private int subscribeRate = DEFAULT_SUBSCRIBE_RATE;
  private int subscribeBurst = DEFAULT_SUBSCRIBE_BURST;
  private long topicLingerMs = DEFAULT_TOPIC_LINGER_MS;
  private int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
  private int maxJsonNumberLength = DEFAULT_MAX_JSON_NUMBER_LENGTH;
  private int metricsMaxLabels = DEFAULT_METRICS_MAX_LABELS;
  private List<String> allowedOrigins = new ArrayList<>();
  private JsonObject access = new JsonObject();
  private String tlsCertPath;
  private String tlsKeyPath;
  private List<HistoryRule> history = new ArrayList<>();
  private List<String> presence = new ArrayList<>();
  private int maxPresenceList = DEFAULT_MAX_PRESENCE_LIST;
  private boolean localCalls = DEFAULT_LOCAL_CALLS;

  public GatewayOptions() {
  }

  public GatewayOptions(GatewayOptions other) {
    this(other.toJson());
  }

  public GatewayOptions(JsonObject json) {
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setWsPath(json.getString("wsPath", DEFAULT_WS_PATH));
    setInstances(json.getInteger("instances", DEFAULT_INSTANCES));
    setRequestTimeoutMs(json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
    JsonObject timeouts = json.getJsonObject("commandTimeoutsMs", new JsonObject());
    timeouts.forEach(entry -> setCommandTimeoutMs(entry.getKey(), ((Number) entry.getValue()).longValue()));
    json.getJsonArray("orderedCommands", new JsonArray()).forEach(glob -> addOrderedCommand(requireString(glob, "orderedCommands")));
    setMaxFrameSize(json.getInteger("maxFrameSize", DEFAULT_MAX_FRAME_SIZE));
    setMaxOpenRequests(json.getInteger("maxOpenRequests", DEFAULT_MAX_OPEN_REQUESTS));
    setMaxSubscriptions(json.getInteger("maxSubscriptions", DEFAULT_MAX_SUBSCRIPTIONS));
    setMaxPendingRounds(json.getInteger("maxPendingRounds", DEFAULT_MAX_PENDING_ROUNDS));
    setPingIntervalMs(json.getLong("pingIntervalMs", DEFAULT_PING_INTERVAL_MS));
    setPongTimeoutMs(json.getLong("pongTimeoutMs", DEFAULT_PONG_TIMEOUT_MS));
    setSrc(json.getString("src", DEFAULT_SRC));
    setShutdownGraceMs(json.getLong("shutdownGraceMs", DEFAULT_SHUTDOWN_GRACE_MS));
    setMaxWriteQueueBytes(json.getInteger("maxWriteQueueBytes", DEFAULT_MAX_WRITE_QUEUE_BYTES));
    json.getJsonArray("dropOldestTopics", new JsonArray()).forEach(glob -> addDropOldestTopic((String) glob));
    setMaxConnections(json.getInteger("maxConnections", DEFAULT_MAX_CONNECTIONS));
    setPublishRate(json.getInteger("publishRate", DEFAULT_PUBLISH_RATE));
    setPublishBurst(json.getInteger("publishBurst", DEFAULT_PUBLISH_BURST));
    setSubscribeRate(json.getInteger("subscribeRate", DEFAULT_SUBSCRIBE_RATE));
    setSubscribeBurst(json.getInteger("subscribeBurst", DEFAULT_SUBSCRIBE_BURST));
    setTopicLingerMs(json.getLong("topicLingerMs", DEFAULT_TOPIC_LINGER_MS));
    setMaxJsonDepth(json.getInteger("maxJsonDepth", DEFAULT_MAX_JSON_DEPTH));
    setMaxJsonNumberLength(json.getInteger("maxJsonNumberLength", DEFAULT_MAX_JSON_NUMBER_LENGTH));
    setMetricsMaxLabels(json.getInteger("metricsMaxLabels", DEFAULT_METRICS_MAX_LABELS));
    json.getJsonArray("allowedOrigins", new JsonArray()).forEach(origin -> addAllowedOrigin((String) origin));
    setAccess(json.getJsonObject("access", new JsonObject()));
    setTls(json.getString("tlsCertPath"), json.getString("tlsKeyPath"));
    json.getJsonArray("history", new JsonArray()).forEach(entry -> addHistory(HistoryRule.fromJson(entry)));
    json.getJsonArray("presence", new JsonArray()).forEach(glob -> addPresence(requireString(glob, "presence")));
    setMaxPresenceList(json.getInteger("maxPresenceList", DEFAULT_MAX_PRESENCE_LIST));
    setLocalCalls(json.getBoolean("localCalls", DEFAULT_LOCAL_CALLS));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("wsPath", wsPath)
      .put("instances", instances)
      .put("requestTimeoutMs", requestTimeoutMs)
      .put("commandTimeoutsMs", new JsonObject(new HashMap<>(commandTimeoutsMs)))
      .put("orderedCommands", new JsonArray(new ArrayList<>(orderedCommands)))
      .put("maxFrameSize", maxFrameSize)
      .put("maxOpenRequests", maxOpenRequests)
      .put("maxSubscriptions", maxSubscriptions)
      .put("maxPendingRounds", maxPendingRounds)
      .put("pingIntervalMs", pingIntervalMs)
      .put("pongTimeoutMs", pongTimeoutMs)
      .put("src", src)
      .put("shutdownGraceMs", shutdownGraceMs)
      .put("maxWriteQueueBytes", maxWriteQueueBytes)
      .put("dropOldestTopics", new JsonArray(new ArrayList<>(dropOldestTopics)))
      .put("maxConnections", maxConnections)
      .put("publishRate", publishRate)
      .put("publishBurst", publishBurst)
      .put("subscribeRate", subscribeRate)
      .put("subscribeBurst", subscribeBurst)
      .put("topicLingerMs", topicLingerMs)
      .put("maxJsonDepth", maxJsonDepth)
      .put("maxJsonNumberLength", maxJsonNumberLength)
      .put("metricsMaxLabels", metricsMaxLabels)
      .put("allowedOrigins", new JsonArray(new ArrayList<>(allowedOrigins)))
      .put("access", access.copy())
      .put("tlsCertPath", tlsCertPath)
      .put("tlsKeyPath", tlsKeyPath)
      .put("history", new JsonArray(history.stream().map(HistoryRule::toJson).collect(java.util.stream.Collectors.toList())))
      .put("presence", new JsonArray(new ArrayList<>(presence)))
      .put("maxPresenceList", maxPresenceList)
      .put("localCalls", localCalls);
  }

  public String getHost() {
    return host;
  }

  public GatewayOptions setHost(String host) {
    this.host = requireText(host, "host");
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 picks a free port (tests); read it back from {@link Gateway#port()}. */
  public GatewayOptions setPort(int port) {
    this.port = requireRange(port, 0, 65535, "port");
    return this;
  }

  public String getWsPath() {
    return wsPath;
  }

  public GatewayOptions setWsPath(String wsPath) {
    if (wsPath == null || !wsPath.startsWith("/")) {
      throw new IllegalArgumentException("wsPath must start with '/': " + wsPath);
    }
    this.wsPath = wsPath;
    return this;
  }

  public int getInstances() {
    return instances;
  }

  public GatewayOptions setInstances(int instances) {
    this.instances = requireRange(instances, 1, 1024, "instances");
    return this;
  }

  public long getRequestTimeoutMs() {
    return requestTimeoutMs;
  }

  public GatewayOptions setRequestTimeoutMs(long requestTimeoutMs) {
    this.requestTimeoutMs = requirePositive(requestTimeoutMs, "requestTimeoutMs");
    return this;
  }

  /** The request timeout of one command: its override, else {@link #getRequestTimeoutMs()}. */
  public long requestTimeoutMs(String command) {
    return commandTimeoutsMs.getOrDefault(command, requestTimeoutMs);
  }

  public Map<String, Long> getCommandTimeoutsMs() {
    return Map.copyOf(commandTimeoutsMs);
  }

  public GatewayOptions setCommandTimeoutMs(String command, long timeoutMs) {
    commandTimeoutsMs.put(command, requirePositive(timeoutMs, "commandTimeoutsMs." + command));
    return this;
  }

  public List<String> getOrderedCommands() {
    return List.copyOf(orderedCommands);
  }

  /**
   * Commands (globs, see {@link Glob}) whose every request is ordered, as if it said
   * {@code "ordered": true}: a connection's ordered requests go to their handlers one at a time,
   * in arrival order (PROTOCOL.md "Ordered requests").
   */
  public GatewayOptions addOrderedCommand(String glob) {
    orderedCommandGlobs.add(Glob.of(glob));
    orderedCommands.add(glob);
    return this;
  }

  /** True when every request of {@code command} is ordered (it matches {@link #getOrderedCommands()}). */
  public boolean orderedCommand(String command) {
    return !orderedCommandGlobs.isEmpty() && Glob.anyMatches(orderedCommandGlobs, command);
  }

  public int getMaxFrameSize() {
    return maxFrameSize;
  }

  /** Largest frame, and largest message assembled from fragments, in bytes. */
  public GatewayOptions setMaxFrameSize(int maxFrameSize) {
    this.maxFrameSize = requireRange(maxFrameSize, 256, MAX_FRAME_SIZE_LIMIT, "maxFrameSize");
    return this;
  }

  public int getMaxOpenRequests() {
    return maxOpenRequests;
  }

  public GatewayOptions setMaxOpenRequests(int maxOpenRequests) {
    this.maxOpenRequests = requireRange(maxOpenRequests, 1, 1_000_000, "maxOpenRequests");
    return this;
  }

  public int getMaxSubscriptions() {
    return maxSubscriptions;
  }

  public GatewayOptions setMaxSubscriptions(int maxSubscriptions) {
    this.maxSubscriptions = requireRange(maxSubscriptions, 1, 1_000_000, "maxSubscriptions");
    return this;
  }

  public int getMaxPendingRounds() {
    return maxPendingRounds;
  }

  public GatewayOptions setMaxPendingRounds(int maxPendingRounds) {
    this.maxPendingRounds = requireRange(maxPendingRounds, 1, 10_000, "maxPendingRounds");
    return this;
  }

  public long getPingIntervalMs() {
    return pingIntervalMs;
  }

  /** A connection silent for this long is pinged. */
  public GatewayOptions setPingIntervalMs(long pingIntervalMs) {
    this.pingIntervalMs = requirePositive(pingIntervalMs, "pingIntervalMs");
    return this;
  }

  public long getPongTimeoutMs() {
    return pongTimeoutMs;
  }

  /** A pinged connection that sends nothing within this long is closed. */
  public GatewayOptions setPongTimeoutMs(long pongTimeoutMs) {
    this.pongTimeoutMs = requirePositive(pongTimeoutMs, "pongTimeoutMs");
    return this;
  }

  public String getSrc() {
    return src;
  }

  /** The {@code src} of responses the gateway itself writes (errors, cancel, timeout). */
  public GatewayOptions setSrc(String src) {
    this.src = requireText(src, "src");
    return this;
  }

  public long getShutdownGraceMs() {
    return shutdownGraceMs;
  }

  public GatewayOptions setShutdownGraceMs(long shutdownGraceMs) {
    this.shutdownGraceMs = requirePositive(shutdownGraceMs, "shutdownGraceMs");
    return this;
  }

  public int getMaxWriteQueueBytes() {
    return maxWriteQueueBytes;
  }

  /**
   * Bytes that may wait to be written to one client. Past it the client's frames are no longer
   * read, and a publication for it closes it with 1013 (or, on a drop-oldest topic, is held
   * in a queue of the same size that drops its oldest entries).
   */
  public GatewayOptions setMaxWriteQueueBytes(int maxWriteQueueBytes) {
    this.maxWriteQueueBytes = requireRange(maxWriteQueueBytes, 16 * 1024, 256 * 1024 * 1024, "maxWriteQueueBytes");
    return this;
  }

  public List<String> getDropOldestTopics() {
    return List.copyOf(dropOldestTopics);
  }

  /** Topics (globs, see {@link Glob}) whose stale publications may be dropped for a slow consumer. */
  public GatewayOptions addDropOldestTopic(String glob) {
    Glob.of(glob);
    dropOldestTopics.add(glob);
    return this;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  /** WebSocket connections per node; over it the upgrade is refused with HTTP 503. */
  public GatewayOptions setMaxConnections(int maxConnections) {
    this.maxConnections = requireRange(maxConnections, 1, 10_000_000, "maxConnections");
    return this;
  }

  public int getPublishRate() {
    return publishRate;
  }

  /** Publications per second per connection (token bucket); over it a pub is answered 429. */
  public GatewayOptions setPublishRate(int publishRate) {
    this.publishRate = requireRange(publishRate, 1, 10_000_000, "publishRate");
    return this;
  }

  public int getPublishBurst() {
    return publishBurst;
  }

  public GatewayOptions setPublishBurst(int publishBurst) {
    this.publishBurst = requireRange(publishBurst, 1, 10_000_000, "publishBurst");
    return this;
  }

  public int getSubscribeRate() {
    return subscribeRate;
  }

  /**
   * Topics per second a connection may name in {@code sub} and {@code unsub} frames (token
   * bucket; a frame costs one token per topic); over it the frame is answered 429 and changes
   * nothing. A first subscriber and a last unsubscriber of a topic are cluster-wide writes.
   */
  public GatewayOptions setSubscribeRate(int subscribeRate) {
    this.subscribeRate = requireRange(subscribeRate, 1, 10_000_000, "subscribeRate");
    return this;
  }

  public int getSubscribeBurst() {
    return subscribeBurst;
  }

  /** Topics a connection may name in sub and unsub frames at once; a frame naming more is always 429. */
  public GatewayOptions setSubscribeBurst(int subscribeBurst) {
    this.subscribeBurst = requireRange(subscribeBurst, 1, 10_000_000, "subscribeBurst");
    return this;
  }

  public long getTopicLingerMs() {
    return topicLingerMs;
  }

  /**
   * How long a topic whose last local subscriber left keeps its event-bus consumer (0: it is
   * unregistered at once). A subscriber within it reuses the registration, so a topic flapping
   * between none and one subscriber costs no cluster-wide registry writes.
   */
  public GatewayOptions setTopicLingerMs(long topicLingerMs) {
    if (topicLingerMs < 0 || topicLingerMs > 3_600_000) {
      throw new IllegalArgumentException("topicLingerMs must be within [0, 3600000]: " + topicLingerMs);
    }
    this.topicLingerMs = topicLingerMs;
    return this;
  }

  public int getMaxJsonDepth() {
    return maxJsonDepth;
  }

  /** Nesting of objects and arrays in a client frame; deeper is a 400. */
  public GatewayOptions setMaxJsonDepth(int maxJsonDepth) {
    this.maxJsonDepth = requireRange(maxJsonDepth, 2, 1_000, "maxJsonDepth");
    return this;
  }

  public int getMaxJsonNumberLength() {
    return maxJsonNumberLength;
  }

  /** Characters of one number in a client frame; longer is a 400. */
  public GatewayOptions setMaxJsonNumberLength(int maxJsonNumberLength) {
    this.maxJsonNumberLength = requireRange(maxJsonNumberLength, 16, 10_000, "maxJsonNumberLength");
    return this;
  }

  public int getMetricsMaxLabels() {
    return metricsMaxLabels;
  }

  /**
   * Topics and commands are metrics labels; names come from clients, so only the first
   * {@code metricsMaxLabels} distinct topics (and commands) get a label of their own, the
   * rest share {@code _other}.
   */
  public GatewayOptions setMetricsMaxLabels(int metricsMaxLabels) {
    this.metricsMaxLabels = requireRange(metricsMaxLabels, 1, 10_000, "metricsMaxLabels");
    return this;
  }

  public List<String> getAllowedOrigins() {
    return List.copyOf(allowedOrigins);
  }

  /**
   * A browser origin ({@code https://app.example.com}, globs allowed, {@code *} for any) that
   * may open WebSockets besides the gateway's own pages reached by IP address, {@code localhost}
   * or the configured host (see {@code SameOrigin}). None listed: only those. Requests without
   * an {@code Origin} header (non-browser clients) are not affected.
   */
  public GatewayOptions addAllowedOrigin(String origin) {
    Glob.of(origin);
    allowedOrigins.add(origin);
    return this;
  }

  public JsonObject getAccess() {
    return access.copy();
  }

  /**
   * Authentication and authorization: {@code jwt} (vertx-auth-jwt options; absent: no
   * authentication), {@code rolesClaim} (default {@code roles}) and {@code rules} (absent:
   * everything permitted). See the README's "Limits and security".
   */
  public GatewayOptions setAccess(JsonObject access) {
    this.access = access == null ? new JsonObject() : access.copy();
    return this;
  }

  public String getTlsCertPath() {
    return tlsCertPath;
  }

  public String getTlsKeyPath() {
    return tlsKeyPath;
  }

  /** Serves {@code wss://} (and https) with a PEM certificate chain and key; both null: plain. */
  public GatewayOptions setTls(String certPath, String keyPath) {
    if ((certPath == null) != (keyPath == null)) {
      throw new IllegalArgumentException("tlsCertPath and tlsKeyPath go together");
    }
    this.tlsCertPath = certPath;
    this.tlsKeyPath = keyPath;
    return this;
  }

  public List<HistoryRule> getHistory() {
    return List.copyOf(history);
  }

  /**
   * Keeps the last publications of the rule's topics, cluster-wide, for recovery and the
   * {@code history} action; the first rule matching a topic applies.
   */
  public GatewayOptions addHistory(HistoryRule rule) {
    history.add(java.util.Objects.requireNonNull(rule, "rule"));
    return this;
  }

  public List<String> getPresence() {
    return List.copyOf(presence);
  }

  /** Topics (globs) whose subscribers are listed by the {@code presence} action, with join/leave events. */
  public GatewayOptions addPresence(String glob) {
    Glob.of(glob);
    presence.add(glob);
    return this;
  }

  public int getMaxPresenceList() {
    return maxPresenceList;
  }

  public GatewayOptions setMaxPresenceList(int maxPresenceList) {
    this.maxPresenceList = requireRange(maxPresenceList, 1, 1_000_000, "maxPresenceList");
    return this;
  }

  /**
   * True (the default): a request whose command only handler API instances of this JVM serve
   * (in the whole cluster) is handed to one of them directly, the one on the connection's event
   * loop first, without the event bus. A command with any other server (another node's
   * instance, a bridge handler, a plain consumer) goes over the event bus, round robin over all
   * of them, as every request does when this is false.
   */
  public boolean isLocalCalls() {
    return localCalls;
  }

  public GatewayOptions setLocalCalls(boolean localCalls) {
    this.localCalls = localCalls;
    return this;
  }

  private static String requireString(Object value, String name) {
    if (!(value instanceof String)) {
      throw new IllegalArgumentException(name + " is a list of globs: " + value);
    }
    return (String) value;
  }

  private static int requireRange(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be within [" + min + ", " + max + "]: " + value);
    }
    return value;
  }

  private static long requirePositive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
