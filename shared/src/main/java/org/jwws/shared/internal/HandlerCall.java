package org.jwws.shared.internal;

import io.vertx.core.json.JsonObject;

/**
 * One request as it reaches a handler instance: by the event bus ({@code cmd.<name>}) or, from
 * this JVM's own gateway, by a direct call ({@link DirectCall}). The handler side reads the
 * same headers ({@link Headers}) and answers the same way on both.
 */
public interface HandlerCall {

  /** The request frame as the gateway passed it on (defaults filled in); may be null from plain senders. */
  JsonObject body();

  /** A {@link Headers} value, null when not set. */
  String header(String name);

  /** When the gateway answers 504 ({@link Headers#DEADLINE}), epoch ms; 0 when not set. */
  long deadlineMs();

  /**
   * The final answer. The handler may change or reuse {@code data} once this returns: it is
   * copied or encoded before.
   *
   * @param src the answer's {@code src}, null for the gateway's
   * @param data a JSON value (JsonObject, JsonArray, Map, List, String, Number, Boolean) or null for {@code []}
   * @throws IllegalArgumentException when {@code data} is no JSON value: nothing was sent
   */
  void reply(String src, int code, String msg, Object data);

  /**
   * An intermediate response, before the final answer: it reaches the client before that answer,
   * whichever way the request came. {@code data} as for {@link #reply}.
   *
   * @throws IllegalArgumentException when {@code data} is no JSON value: nothing was sent
   */
  void progress(String src, int code, String msg, Object data);

  /** The request ends without an answer: the gateway tells the client {@code code} with {@code msg}. */
  void fail(int code, String msg);
}
