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

  @Override
  public long deadlineMs() {
    return Headers.number(header(Headers.DEADLINE));
  }

  @Override
  public void reply(String src, int code, String msg, Object data) {
    message.reply(Invocation.answerBody(src, code, msg, data), answerOptions());
  }

  @Override
  public void progress(String src, int code, String msg, Object data) {
    DeliveryOptions options = answerOptions().addHeader(Headers.KIND, Headers.KIND_MORE).addHeader(Headers.REQUEST, header(Headers.REQUEST));
    eventBus.send(header(Headers.CONNECTION), Invocation.answerBody(src, code, msg, data), options);
  }

  /** Answers are built by {@link Invocation#answerBody} (their data copied) and never touched again: handed over, not copied again. */
  private static DeliveryOptions answerOptions() {
    return new DeliveryOptions().setCodecName(HandOverCodec.NAME).addHeader(Headers.ANSWER, "1");
  }

  @Override
  public void fail(int code, String msg) {
    message.fail(code, msg);
  }
}
