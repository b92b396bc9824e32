package org.jwws.shared;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The handler side of one request: answers go back as the event-bus reply, intermediate
 * responses to the client's connection address. It attaches to the gateway (announcing the
 * control address) only when the handler asks for rounds, end notice or sends progress, so a
 * plain request costs one message each way.
 */
final class Invocation implements CommandRequest {

  /** How long the gateway may take to acknowledge an attach before the client counts as gone. */
  private static final long ATTACH_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final Message<JsonObject> message;
  private final JsonObject frame;
  private final String src;
  private final Conversations conversations;
  private final String connection;
  private final String requestKey;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final AtomicBoolean attached = new AtomicBoolean();
  private volatile Handler<Round> roundHandler;
  private volatile Handler<EndReason> endHandler;

  Invocation(Vertx vertx, Message<JsonObject> message, String src, Conversations conversations) {
    this.vertx = vertx;
    this.message = message;
    this.frame = message.body() == null ? new JsonObject() : message.body();
    this.src = src;
    this.conversations = conversations;
    this.connection = message.headers().get(Headers.CONNECTION);
    this.requestKey = message.headers().get(Headers.REQUEST);
  }

  /** Key of this conversation in the handler's control table. */
  String key() {
    return Conversations.key(connection, requestKey);
  }

  @Override
  public String command() {
    return frame.getString(Envelope.COMMAND);
  }

  @Override
  public JsonArray args() {
    return frame.getJsonArray(Envelope.ARGS, new JsonArray());
  }

  @Override
  public JsonObject kwargs() {
    return frame.getJsonObject(Envelope.KWARGS, new JsonObject());
  }

  @Override
  public String src() {
    return frame.getString(Envelope.SRC);
  }

  @Override
  public Object id() {
    return frame.getValue(Envelope.ID);
  }

  @Override
  public JsonObject principal() {
    String principal = message.headers().get(Headers.PRINCIPAL);
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
      conversations.remove(this);
      message.reply(body(code, msg, data));
    }
  }

  @Override
  public void progress(int code, String msg, Object data) {
    if (!open.get() || connection == null) {
      return;
    }
    attach();
    DeliveryOptions options = new DeliveryOptions()
      .addHeader(Headers.KIND, Headers.KIND_MORE)
      .addHeader(Headers.REQUEST, requestKey);
    vertx.eventBus().send(connection, body(code, msg, data), options);
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

  void deliverRound(JsonObject roundFrame) {
    Handler<Round> handler = roundHandler;
    if (open.get() && handler != null) {
      handler.handle(new Round(roundFrame));
    }
  }

  void end(EndReason reason) {
    if (open.compareAndSet(true, false)) {
      conversations.remove(this);
      Handler<EndReason> handler = endHandler;
      if (handler != null) {
        handler.handle(reason);
      }
    }
  }

  private void attach() {
    if (connection == null || requestKey == null || !attached.compareAndSet(false, true)) {
      return;
    }
    conversations.add(this);
    DeliveryOptions options = new DeliveryOptions()
      .setSendTimeout(ATTACH_TIMEOUT_MS)
      .addHeader(Headers.KIND, Headers.KIND_ATTACH)
      .addHeader(Headers.REQUEST, requestKey)
      .addHeader(Headers.CONTROL, conversations.address());
    vertx.eventBus().request(connection, null, options).onFailure(err -> end(reasonOf(err)));
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

  private JsonObject body(int code, String msg, Object data) {
    JsonObject body = new JsonObject();
    if (src != null) {
      body.put(Envelope.SRC, src);
    }
    return body.put(Envelope.CODE, code).put(Envelope.MSG, msg)
      .put(Envelope.DATA, data == null ? new JsonArray() : data);
  }
}
