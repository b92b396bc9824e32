package org.jwws.shared;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.HandlerCall;
import org.jwws.shared.internal.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The handler side of one request: the final answer goes back the way the request came (the
 * event-bus reply, or a direct call's answer), intermediate responses to the client's connection
 * address. It attaches to the gateway (announcing the
 * control address) only when the handler asks for rounds, end notice or sends progress, so a
 * plain request costs one message each way.
 */
final class Invocation implements CommandRequest {

  private static final Logger log = LoggerFactory.getLogger(Invocation.class);
  /** How long the gateway may take to acknowledge an attach before the client counts as gone. */
  private static final long ATTACH_TIMEOUT_MS = 10_000;
  /** Past the request's timeout, an attached conversation ends here even if the gateway's notice was lost. */
  private static final long EXPIRY_MARGIN_MS = 1_000;

  private final Vertx vertx;
  private final HandlerCall call;
  private final JsonObject frame;
  /** The opening frame read the way every round is. */
  private final Round opening;
  private final String src;
  private final Conversations conversations;
  private final CancelNotices notices;
  private final String connection;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final AtomicBoolean attached = new AtomicBoolean();
  private volatile Handler<Round> roundHandler;
  private volatile Handler<EndReason> endHandler;
  private volatile long expiryTimer = -1;

  Invocation(Vertx vertx, HandlerCall call, String src, Conversations conversations, CancelNotices notices) {
    this.notices = notices;
    this.vertx = vertx;
    this.call = call;
    this.frame = call.body() == null ? new JsonObject() : call.body();
    this.opening = new Round(frame);
    this.src = src;
    this.conversations = conversations;
    this.connection = call.header(Headers.CONNECTION);
  }

  /** Key of this conversation in the handler's control table. */
  String key() {
    return Headers.requestId(connection, requestKey());
  }

  @Override
  public String command() {
    return frame.getString(Envelope.COMMAND);
  }

  @Override
  public JsonArray args() {
    return opening.args();
  }

  @Override
  public JsonObject kwargs() {
    return opening.kwargs();
  }

  @Override
  public String src() {
    return opening.src();
  }

  @Override
  public Object id() {
    return frame.getValue(Envelope.ID);
  }

  @Override
  public JsonObject principal() {
    String principal = call.header(Headers.PRINCIPAL);
    return principal == null ? null : new JsonObject(principal);
  }

  @Override
  public String connection() {
    return connection;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public boolean isOpen() {
    return open.get();
  }

  @Override
  public void reply(int code, String msg, Object data) {
    if (open.compareAndSet(true, false)) {
      detach();
      try {
        call.reply(src, code, msg, data);
      } catch (IllegalArgumentException e) {
        log.warn("command {} answered with bad data", command(), e);
        call.reply(src, Status.HANDLER_FAILED, Status.reason(Status.HANDLER_FAILED), null);
      }
    }
  }

  @Override
  public void progress(int code, String msg, Object data) {
    if (!open.get() || connection == null) {
      return;
    }
    attach();
    call.progress(src, code, msg, data);
  }

  @Override
  public CommandRequest roundHandler(Handler<Round> handler) {
    this.roundHandler = handler;
    attach();
    return this;
  }

  @Override
  public CommandRequest endHandler(Handler<EndReason> handler) {
    this.endHandler = handler;
    attach();
    return this;
  }

  /** Answers with the exception's code, as {@link CommandVerticle} does for the first call. */
  void failWith(Exception e) {
    if (e instanceof CommandException) {
      fail(((CommandException) e).code(), e.getMessage());
    } else {
      log.warn("command {} failed", command(), e);
      fail(Status.HANDLER_FAILED, Status.reason(Status.HANDLER_FAILED));
    }
  }

  void deliverRound(JsonObject roundFrame) {
    Handler<Round> handler = roundHandler;
    if (open.get() && handler != null) {
      try {
        handler.handle(new Round(roundFrame));
      } catch (Exception e) {
        failWith(e);
      }
    }
  }

  void end(EndReason reason) {
    if (!open.compareAndSet(true, false)) {
      return;
    }
    detach();
    // releases the gateway's reply handler (and the client's slot) now rather than at the request
    // timeout; only a stopping handler's end reaches a client still waiting: as 503
    if (reason == EndReason.HANDLER_STOPPED) {
      call.fail(Status.UNAVAILABLE, CommandVerticle.STOPPED);
    } else {
      call.fail(Status.CANCELLED, reason.name());
    }
    Handler<EndReason> handler = endHandler;
    if (handler != null) {
      try {
        handler.handle(reason);
      } catch (RuntimeException e) {
        log.warn("end handler of command {} failed", command(), e);
      }
    }
  }

  private void attach() {
    if (!open.get() || connection == null || requestKey() == null || !attached.compareAndSet(false, true)) {
      return;
    }
    conversations.add(this);
    if (!open.get()) {
      // answered on another thread meanwhile: nothing to attach
      conversations.remove(this);
      return;
    }
    long timeoutMs = Headers.number(call.header(Headers.TIMEOUT));
    if (timeoutMs > 0) {
      expiryTimer = vertx.setTimer(timeoutMs + EXPIRY_MARGIN_MS, id -> end(EndReason.TIMED_OUT));
    }
    DeliveryOptions options = new DeliveryOptions()
      .setSendTimeout(ATTACH_TIMEOUT_MS)
      .addHeader(Headers.KIND, Headers.KIND_ATTACH)
      .addHeader(Headers.REQUEST, requestKey())
      .addHeader(Headers.CONTROL, conversations.address());
    vertx.eventBus().request(connection, null, options).onFailure(err -> end(reasonOf(err)));
  }

  private void detach() {
    if (attached.get()) {
      conversations.remove(this);
    }
    // a cancel notice that raced with the start has nothing left to stop
    notices.forget(connection, call);
    long timer = expiryTimer;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The gateway's key of the request ({@code jw-rid}), null from plain senders. */
  private String requestKey() {
    return call.header(Headers.REQUEST);
  }

  private static EndReason reasonOf(Throwable err) {
    if (err instanceof ReplyException && ((ReplyException) err).failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      try {
        return EndReason.valueOf(err.getMessage());
      } catch (IllegalArgumentException unknown) {
        return EndReason.CANCELLED;
      }
    }
    return EndReason.CLIENT_GONE;
  }

  /** {@code {src, code, msg, data}}; data that is no JSON value is refused here, not lost on the way. */
  static JsonObject answerBody(String src, int code, String msg, Object data) {
    JsonObject body = new JsonObject();
    if (src != null) {
      body.put(Envelope.SRC, src);
    }
    return body.put(Envelope.CODE, code).put(Envelope.MSG, msg).put(Envelope.DATA, jsonValue(data));
  }

  /**
   * The handler's data as a JSON value of the answer's own: objects and arrays are copied, so a
   * handler that goes on using (or reuses) its data object after {@code reply}/{@code progress}
   * cannot race the gateway encoding the answer on another thread. Data that is no JSON value is
   * refused here, not lost on the way.
   */
  @SuppressWarnings("unchecked")
  private static Object jsonValue(Object data) {
    if (data == null) {
      return new JsonArray();
    }
    if (data instanceof String || data instanceof Number || data instanceof Boolean) {
      return data;
    }
    try {
      if (data instanceof JsonObject) {
        return ((JsonObject) data).copy();
      }
      if (data instanceof JsonArray) {
        return ((JsonArray) data).copy();
      }
      if (data instanceof Map) {
        return new JsonObject((Map<String, Object>) data).copy();
      }
      if (data instanceof List) {
        return new JsonArray((List<Object>) data).copy();
      }
    } catch (IllegalStateException notJson) {
      throw new IllegalArgumentException("data must be a JSON value: " + notJson.getMessage(), notJson);
    }
    throw new IllegalArgumentException("data must be a JSON value, not " + data.getClass().getName());
  }
}
