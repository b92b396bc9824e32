package org.jwws.shared;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.HandOverCodec;
import org.jwws.shared.internal.HandlerCall;
import org.jwws.shared.internal.Headers;

/**
 * A request that came by the event bus: answered as the message's reply, its intermediate
 * responses sent to the client's connection address (the same sender, so they arrive first).
 */
final class BusCall implements HandlerCall {

  private final EventBus eventBus;
  private final Message<JsonObject> message;

  BusCall(EventBus eventBus, Message<JsonObject> message) {
    this.eventBus = eventBus;
    this.message = message;
  }

  @Override
  public JsonObject body() {
    return message.body();
  }

  @Override
  public String header(String name) {
    return message.headers().get(name);
  }

  /** The answer's data is copied into a body of its own, which is handed over, never copied again. */
  @Override
  public void reply(String src, int code, String msg, Object data) {
    JsonObject answer = Invocation.answerBody(src, code, msg, data);
    message.reply(answer, new DeliveryOptions().setCodecName(HandOverCodec.NAME).addHeader(Headers.ANSWER, "1"));
  }

  @Override
  public void progress(String src, int code, String msg, Object data) {
    JsonObject body = Invocation.answerBody(src, code, msg, data);
    // built here (its data copied) and never touched again: handed over, not copied again
    DeliveryOptions options = new DeliveryOptions().setCodecName(HandOverCodec.NAME).addHeader(Headers.ANSWER, "1")
      .addHeader(Headers.KIND, Headers.KIND_MORE)
      .addHeader(Headers.REQUEST, header(Headers.REQUEST));
    eventBus.send(header(Headers.CONNECTION), body, options);
  }

  @Override
  public void fail(int code, String msg) {
    message.fail(code, msg);
  }
}
