package org.jwws.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Status;
import org.jwws.shared.internal.DirectCall;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.LocalHandlers;

/**
 * A connection's requests served by a handler API instance of this JVM, called directly instead
 * of over the event bus, for commands that have no other server ({@link SoleServers}; see
 * {@link LocalHandlers#pick} for which instance): the instance on the connection's own
 * event loop runs the request in the same turn, so an answer given at once is written before
 * the socket is flushed, and costs no reply registration, timer, header map or thread hop. A
 * request not answered at once gets its timeout timer then. Touched only from the connection's
 * event loop; answers from other threads are brought back to it.
 */
final class LocalCalls {

  /** What ends a direct request, on the connection's event loop. */
  interface Outcome {

    /** A handler instance of this JVM takes the request now. */
    void taken(OpenRequest open);

    /** An intermediate response of the handler, encoded: {@code text} is the client's frame. */
    void more(OpenRequest open, String text);

    /** The handler answered, or failed the request, with {@code code}: {@code text} is the client's response frame. */
    void answered(OpenRequest open, String text, int code, String msg);

    /** No answer within the request's timeout. */
    void timedOut(OpenRequest open);
  }

  private final SoleServers servers;
  private final Vertx vertx;
  private final Recipient connection;
  /** The connection's address: the handler side knows the request by it (attach, progress, cancel). */
  private final String address;
  private final Outcome outcome;
  /** The responses' {@code src} when the handler's is not set. */
  private final String defaultSrc;

  LocalCalls(SoleServers servers, Vertx vertx, Recipient connection, String address, String defaultSrc, Outcome outcome) {
    this.defaultSrc = defaultSrc;
    this.servers = servers;
    this.vertx = vertx;
    this.connection = connection;
    this.address = address;
    this.outcome = outcome;
  }

  /**
   * Hands the request to an instance of this JVM when they alone serve its command.
   *
   * @return false when it did not: the event bus is the way then
   */
  boolean call(OpenRequest open, JsonObject body, String principal) {
    LocalHandlers.Servers alone = servers.servingAlone(open.command);
    if (alone == null) {
      return false;
    }
    LocalHandlers.Instance instance = servers.local().pick(alone);
    if (instance == null) {
      return false;
    }
    Answer answer = new Answer(open);
    outcome.taken(open);
    instance.call(new DirectCall(body, address, open.key, principal, open.timeoutMs, open.deadlineMs, answer));
    if (!open.done) {
      answer.timer = vertx.setTimer(open.timeoutMs, id -> connection.onContext(() -> {
        if (!open.done) {
          outcome.timedOut(open);
        }
      }));
    }
    return true;
  }

  /** One request's answer: from the handler's thread to the connection's loop, once. */
  private final class Answer implements DirectCall.Answers {

    private final OpenRequest open;
    /** Set on the connection's loop, after the call, when no answer came at once. */
    private long timer = -1;

    Answer(OpenRequest open) {
      this.open = open;
    }

    /** Encoded here, on the handler's thread: once this returns the handler may reuse its data. */
    @Override
    public void answered(String src, int code, String msg, Object data) {
      String reason = msg != null ? msg : Status.reason(code);
      String text = encode(src, code, reason, data, false);
      connection.onContext(() -> end(text, code, reason));
    }

    /** Encoded here too; brought to the connection's loop the way the answer is, so it comes first. */
    @Override
    public void more(String src, int code, String msg, Object data) {
      String text = encode(src, code, msg != null ? msg : Status.reason(code), data, true);
      connection.onContext(() -> {
        if (!open.done) {
          outcome.more(open, text);
        }
      });
    }

    /** As an event-bus failure of the request: its code when it is a status code, else 500. */
    @Override
    public void failed(int code, String msg) {
      JsonObject response = Replies.failure(code, msg, defaultSrc, open.command, open.id);
      connection.onContext(() -> end(response.encode(), response.getInteger(Envelope.CODE), response.getString(Envelope.MSG)));
    }

    /** The client's frame; {@code src} null for the gateway's. */
    private String encode(String src, int code, String msg, Object data, boolean more) {
      return ResponseText.of(src != null ? src : defaultSrc, code, msg, data, open.command, open.id, more);
    }

    private void end(String text, int code, String msg) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      if (!open.done) {
        outcome.answered(open, text, code, msg);
      }
    }
  }
}
