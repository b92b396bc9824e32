package org.jwws.client;

/** How a {@link GatewayClient} connects; the defaults are the JavaScript client's. */
public class ClientOptions {

  public static final long DEFAULT_MIN_DELAY_MS = 250;
  public static final long DEFAULT_MAX_DELAY_MS = 10_000;
  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_INBOUND_QUEUE = 1_000;
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

  private String url = "ws://localhost:8080/ws";
  private String token;
  private boolean reconnect = true;
  private long minDelayMs = DEFAULT_MIN_DELAY_MS;
  private long maxDelayMs = DEFAULT_MAX_DELAY_MS;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxInboundQueue = DEFAULT_MAX_INBOUND_QUEUE;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

  public String getUrl() {
    return url;
  }

  /** {@code ws://} or {@code wss://} URL of the gateway's WebSocket path. */
  public ClientOptions setUrl(String url) {
    this.url = url;
    return this;
  }

  public String getToken() {
    return token;
  }

  /** A JWT sent as {@code Authorization: Bearer} on every (re)connect; null: none. */
  public ClientOptions setToken(String token) {
    this.token = token;
    return this;
  }

  public boolean isReconnect() {
    return reconnect;
  }

  /** Reconnect after a lost connection (capped exponential backoff with jitter) and re-subscribe. */
  public ClientOptions setReconnect(boolean reconnect) {
    this.reconnect = reconnect;
    return this;
  }

  public long getMinDelayMs() {
    return minDelayMs;
  }

  public ClientOptions setMinDelayMs(long minDelayMs) {
    this.minDelayMs = minDelayMs;
    return this;
  }

  public long getMaxDelayMs() {
    return maxDelayMs;
  }

  public ClientOptions setMaxDelayMs(long maxDelayMs) {
    this.maxDelayMs = maxDelayMs;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  /** How long a request, dialogue or acknowledgement waits for its answer before failing with 504. */
  public ClientOptions setTimeoutMs(long timeoutMs) {
    this.timeoutMs = timeoutMs;
    return this;
  }

  public int getMaxInboundQueue() {
    return maxInboundQueue;
  }

  /**
   * Frames received and not yet handled while deliveries are paused ({@link GatewayClient#pause()}).
   * At the bound the client stops reading the socket: TCP pushes back to the gateway, whose
   * slow-consumer rule then applies (1013 close, or drop-oldest topics dropping for this client).
   */
  public ClientOptions setMaxInboundQueue(int maxInboundQueue) {
    this.maxInboundQueue = maxInboundQueue;
    return this;
  }

  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  /** The largest message accepted from the gateway: backend pushes may exceed the 64 KiB a client may send. */
  public ClientOptions setMaxMessageSize(int maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
    return this;
  }
}
