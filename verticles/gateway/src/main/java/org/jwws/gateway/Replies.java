package org.jwws.gateway;

import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Status;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.Headers;

/**
 * Maps what came back from a handler over the event bus to the response frame the client
 * sees. Handlers written with the shared API reply {@code {src, code, msg, data}}; a plain
 * Vert.x consumer may reply any JSON value (taken as 200 data) or fail with a code.
 */
final class Replies {

  private Replies() {
  }

  /** The client's final response to a request, from its event-bus reply (or the reply's failure). */
  static JsonObject finalResponse(OpenRequest open, AsyncResult<Message<Object>> reply, String src) {
    if (reply.succeeded()) {
      Message<Object> answer = reply.result();
      return response(answer.body(), answer.headers().contains(Headers.ANSWER), src, open.command, open.id, false);
    }
    return failure(reply.cause(), discarded(open, reply), src, open.command, open.id, open.timeoutMs);
  }

  /** The request's timeout passed with no answer: its handler is to be told. */
  static boolean timedOut(OpenRequest open, AsyncResult<?> reply) {
    return failureType(reply) == ReplyFailure.TIMEOUT && !discarded(open, reply);
  }

  /** A handler took the request (see {@link GatewayMetrics#requestDone}): any answer but "no handlers". */
  static boolean handlerTook(AsyncResult<?> reply) {
    return failureType(reply) != ReplyFailure.NO_HANDLERS;
  }

  /** Vert.x answers TIMEOUT at once when the handler's consumer discarded the request (unregistered). */
  private static boolean discarded(OpenRequest open, AsyncResult<?> reply) {
    return failureType(reply) == ReplyFailure.TIMEOUT && System.nanoTime() - open.sentNanos < (open.timeoutMs - 5) * 1_000_000L;
  }

  private static ReplyFailure failureType(AsyncResult<?> reply) {
    return reply.failed() && reply.cause() instanceof ReplyException ? ((ReplyException) reply.cause()).failureType() : null;
  }

  /**
   * @param fromApi the body came from the handler API ({@code jw-answer} header):
   *               {@code {src, code, msg, data}}; otherwise it is the data of a 200
   */
  static JsonObject response(Object body, boolean fromApi, String defaultSrc, String command, Object id, boolean more) {
    if (fromApi && body instanceof JsonObject && ((JsonObject) body).getValue(Envelope.CODE) instanceof Number) {
      JsonObject answer = (JsonObject) body;
      int code = answer.getInteger(Envelope.CODE);
      Object src = answer.getValue(Envelope.SRC);
      Object msg = answer.getValue(Envelope.MSG);
      return Envelope.response(src instanceof String ? (String) src : defaultSrc, code,
        msg instanceof String ? (String) msg : Status.reason(code), answer.getValue(Envelope.DATA), command, id, more);
    }
    Object data = body instanceof Buffer ? body.toString() : body;
    return Envelope.response(defaultSrc, Status.OK, Status.reason(Status.OK), data == null ? new JsonArray() : data,
      command, id, more);
  }

  /**
   * @param discarded the failure came before the request's timeout: the handler's consumer went
   *                  away with the request (503, like every "the handler went away")
   */
  private static JsonObject failure(Throwable err, boolean discarded, String src, String command, Object id, long timeoutMs) {
    int code = Status.HANDLER_FAILED;
    String msg = Status.reason(code);
    if (err instanceof ReplyException) {
      ReplyException reply = (ReplyException) err;
      switch (reply.failureType()) {
        case NO_HANDLERS:
          code = Status.NOT_FOUND;
          msg = "no handler for command " + command;
          break;
        case TIMEOUT:
          if (!discarded) {
            return noAnswer(src, command, id, timeoutMs);
          }
          code = Status.UNAVAILABLE;
          msg = "handler went away before answering";
          break;
        case RECIPIENT_FAILURE:
          return failure(reply.failureCode(), reply.getMessage(), src, command, id);
        default:
          break;
      }
    }
    return Envelope.response(src, code, msg, new JsonArray(), command, id, false);
  }

  /** The handler failed the request with {@code code} (500 when it is no status code). */
  static JsonObject failure(int failureCode, String failureMsg, String src, String command, Object id) {
    int code = isStatus(failureCode) ? failureCode : Status.HANDLER_FAILED;
    return Envelope.response(src, code, failureMsg != null ? failureMsg : Status.reason(code), new JsonArray(), command, id, false);
  }

  /** 504: the request's timeout passed with no answer. */
  static JsonObject noAnswer(String src, String command, Object id, long timeoutMs) {
    return Envelope.response(src, Status.TIMEOUT, "no answer within " + timeoutMs + " ms", new JsonArray(), command, id, false);
  }

  private static boolean isStatus(int code) {
    return code >= 100 && code <= 999;
  }
}
