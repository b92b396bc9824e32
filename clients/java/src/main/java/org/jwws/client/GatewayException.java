package org.jwws.client;

import io.vertx.core.json.JsonObject;

/**
 * A final answer other than 200, or a request the client gave up on: {@link #code()} is the
 * wire code (PROTOCOL.md), e.g. 404 no handler, 499 cancelled, 503 connection lost, 504 no
 * answer in time.
 */
public class GatewayException extends RuntimeException {

  private final int code;
  private final String msg;
  private final JsonObject frame;

  public GatewayException(int code, String msg, JsonObject frame) {
    super(code + " " + msg, null, false, false);
    this.code = code;
    this.msg = msg;
    this.frame = frame;
  }

  /** The wire code. */
  public int code() {
    return code;
  }

  /** The frame's {@code msg}, or the client's reason. */
  public String msg() {
    return msg;
  }

  /** The answer as received, or null when the client gave up on its own. */
  public JsonObject frame() {
    return frame;
  }
}
