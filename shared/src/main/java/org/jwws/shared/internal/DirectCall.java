package org.jwws.shared.internal;

import io.vertx.core.json.JsonObject;

/**
 * A request this JVM's gateway hands to a handler instance of the same JVM without the event
 * bus: no reply registration, send timer, header map or codec. The answer comes back to
 * {@link Answers} on the thread that gives it (the handler's), exactly once.
 */
public final class DirectCall implements HandlerCall {

  /** Where the answer goes: the gateway's open request. */
  public interface Answers {

    /** As {@link HandlerCall#reply}: on the handler's thread, before it returns. */
    void answered(String src, int code, String msg, Object data);

    /** As {@link HandlerCall#progress}: on the handler's thread, before it returns. */
    void more(String src, int code, String msg, Object data);

    void failed(int code, String msg);
  }

  private final JsonObject body;
  private final String connection;
  private final long requestKey;
  /** {@link #requestKey} as the header's text, made when first read: most calls never read it. */
  private String requestKeyText;
  private final String principal;
  private final long timeoutMs;
  private final long deadlineMs;
  private final Answers answers;

  /**
   * @param principal the principal as JSON, null when anonymous
   * @param deadlineMs when the gateway answers 504, as epoch ms
   */
  public DirectCall(JsonObject body, String connection, long requestKey, String principal, long timeoutMs, long deadlineMs,
                    Answers answers) {
    this.body = body;
    this.connection = connection;
    this.requestKey = requestKey;
    this.principal = principal;
    this.timeoutMs = timeoutMs;
    this.deadlineMs = deadlineMs;
    this.answers = answers;
  }

  @Override
  public JsonObject body() {
    return body;
  }

  @Override
  public String header(String name) {
    switch (name) {
      case Headers.CONNECTION:
        return connection;
      case Headers.REQUEST:
        if (requestKeyText == null) {
          requestKeyText = Long.toString(requestKey);
        }
        return requestKeyText;
      case Headers.PRINCIPAL:
        return principal;
      case Headers.TIMEOUT:
        return Long.toString(timeoutMs);
      case Headers.DEADLINE:
        return Long.toString(deadlineMs);
      default:
        // no gateway node: a direct call never leaves this JVM, so it needs no receipt
        return null;
    }
  }

  /** The deadline without a round trip through text. */
  @Override
  public long deadlineMs() {
    return deadlineMs;
  }

  @Override
  public void reply(String src, int code, String msg, Object data) {
    answers.answered(src, code, msg, data);
  }

  @Override
  public void progress(String src, int code, String msg, Object data) {
    answers.more(src, code, msg, data);
  }

  @Override
  public void fail(int code, String msg) {
    answers.failed(code, msg);
  }
}
