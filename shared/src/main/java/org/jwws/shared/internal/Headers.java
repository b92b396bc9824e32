package org.jwws.shared.internal;

/**
 * Event-bus message headers of the gateway/handler protocol. Handler authors do not need them:
 * {@link org.jwws.shared.CommandRequest} reads and writes them.
 */
public final class Headers {

  /** On a request: the address of the client connection, for direct pushes and conversations. */
  public static final String CONNECTION = "jw-conn";
  /** On a request and on every conversation message: the gateway's key of the open request. */
  public static final String REQUEST = "jw-rid";
  /** On a request: its timeout in ms; a handler's conversation state expires after it. */
  public static final String TIMEOUT = "jw-timeout";
  /** On a handler's reply and intermediate responses: the body is {@code {src, code, msg, data}}. */
  public static final String ANSWER = "jw-answer";
  /** On a request: the authenticated principal as JSON, absent when authentication is off. */
  public static final String PRINCIPAL = "jw-principal";
  /**
   * On a request: when the gateway answers 504, as epoch ms. The handler API does not start a
   * request still waiting past it (clocks of the nodes are assumed in step, e.g. by NTP).
   */
  public static final String DEADLINE = "jw-deadline";
  /**
   * On a request from a clustered gateway: the gateway's cluster node id. A handler API
   * instance on another node sends a receipt ({@link #KIND_RECEIPT}) when the request arrives,
   * so the gateway knows which node holds it; one on the gateway's node notes it in
   * {@link HeldRequests} instead (no message).
   */
  public static final String GATEWAY_NODE = "jw-gw";
  /** On a receipt: the cluster node id of the handler that holds the request. */
  public static final String NODE = "jw-node";
  /** On conversation messages: what the message is, one of the {@code KIND_*} values. */
  public static final String KIND = "jw-kind";
  /** On an attach: the handler instance's control address. */
  public static final String CONTROL = "jw-ctl";

  /** Handler to gateway: send the following rounds and a cancel to the control address. */
  public static final String KIND_ATTACH = "attach";
  /** Handler to gateway: the request arrived on the node named in {@link #NODE}. */
  public static final String KIND_RECEIPT = "receipt";
  /** Handler to gateway: an intermediate response. */
  public static final String KIND_MORE = "more";
  /** Gateway to handler: the client's next {@code req} frame with the same id. */
  public static final String KIND_ROUND = "round";
  /** Gateway to handler: the conversation ended without the handler's final answer. */
  public static final String KIND_END = "end";
  /** With {@link #KIND_END}: why, as a {@link org.jwws.shared.EndReason} name. */
  public static final String END_REASON = "jw-end";

  /** On a publication of a history topic: its offset (PROTOCOL.md v2). */
  public static final String OFFSET = "jw-offset";
  /** On a publication of a history topic: its topic's epoch. */
  public static final String EPOCH = "jw-epoch";
  /** On a message to {@link Addresses#HISTORY_APPEND}: the topic (else the frame's {@code topic}). */
  public static final String TOPIC = "jw-topic";
  /**
   * On a {@code topic.<name>} message without a body: a flow marker of a publishing process
   * ({@link org.jwws.shared.PublishWindows}); every consumer answers it on {@link Addresses#credit} of the node in
   * {@link #FLOW_NODE} with the count in {@link #FLOW_COUNT} once it handled what came before it.
   */
  public static final String KIND_MARKER = "marker";
  /** On a flow marker and its credit: the publishing process's cluster node id. */
  public static final String FLOW_NODE = "jw-flow-node";
  /** On a flow marker and its credit: the publications on the topic the publisher had sent before it. */
  public static final String FLOW_COUNT = "jw-flow-count";
  /** On a credit: the crediting node's cluster node id. */
  public static final String FLOW_FROM = "jw-flow-from";
  /** On a {@code topic.<name>} message: a presence event (join/leave), not a publication. */
  public static final String KIND_PRESENCE = "presence";

  private Headers() {
  }

  /** A numeric header's value, -1 when absent or not a number. */
  public static long number(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One request of one connection as a key: its {@link #CONNECTION} and {@link #REQUEST} values. */
  public static String requestId(String connection, String requestKey) {
    return connection + '/' + requestKey;
  }
}
