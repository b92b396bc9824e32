package org.jwws.shared.internal;

/**
 * Event-bus addresses the gateway and the backend agree on.
 */
public final class Addresses {

  /** Requests for command {@code x} are sent to {@code cmd.x}; one handler instance answers. */
  public static final String COMMAND_PREFIX = "cmd.";
  /** Publications on topic {@code x} are published to {@code topic.x}. */
  public static final String TOPIC_PREFIX = "topic.";
  /** Any envelope published here is written to every client on every gateway node. */
  public static final String BROADCAST = "jw.broadcast";
  /** Prefix of the per-connection addresses carried on request messages. */
  public static final String CONNECTION_PREFIX = "jw.conn.";
  /** Prefix of the per-handler-instance control addresses (dialogue rounds, cancel). */
  public static final String CONTROL_PREFIX = "jw.ctl.";

  /**
   * Cancel notices: the gateway sends one when a request whose handler did not attach is
   * cancelled or its client left, so the request does not start if it still waits: to
   * {@code jw.cancel.<nodeId>} of the handler JVM holding it, or published here to every handler
   * JVM when it does not know the holder.
   */
  public static final String CANCEL = "jw.cancel";
  /**
   * Publications for history topics from backend code (request/reply, any gateway node with
   * history configured answers): the gateway gives them their offset, stores them, then
   * publishes them on {@code topic.<name>}. {@link org.jwws.shared.Backend#publish} goes here for history topics.
   */
  public static final String HISTORY_APPEND = "jw.history.append";
  /**
   * Prefix of the credit address of a publishing process ({@code jw.credit.<nodeId>}): the
   * nodes holding a topic's consumers answer its flow markers there ({@link org.jwws.shared.PublishWindows}).
   */
  public static final String CREDIT_PREFIX = "jw.credit.";
  /** Local map (per Vert.x instance) the node fills with its history globs, for {@link org.jwws.shared.Backend}. */
  public static final String HISTORY_TOPICS_MAP = "jw.history.topics";

  private Addresses() {
  }

  public static String command(String name) {
    return COMMAND_PREFIX + name;
  }

  /** The cancel-notice address of the handler JVM with cluster node id {@code nodeId} (null: {@link #CANCEL}). */
  public static String cancel(String nodeId) {
    return nodeId == null ? CANCEL : CANCEL + '.' + nodeId;
  }

  public static String credit(String nodeId) {
    return CREDIT_PREFIX + nodeId;
  }

  public static String topic(String name) {
    return TOPIC_PREFIX + name;
  }
}
