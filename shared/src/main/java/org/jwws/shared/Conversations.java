package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.Headers;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attached conversations of one handler verticle instance, and the control address the
 * gateway sends their further rounds and end notices to.
 */
final class Conversations {

  private final Map<String, Invocation> attached = new ConcurrentHashMap<>();
  private final String address = Addresses.CONTROL_PREFIX + UUID.randomUUID();
  private final MessageConsumer<JsonObject> consumer;

  Conversations(Vertx vertx) {
    consumer = vertx.eventBus().consumer(address, this::handle);
  }

  String address() {
    return address;
  }

  Future<Void> completion() {
    return consumer.completion();
  }

  int size() {
    return attached.size();
  }

  void add(Invocation invocation) {
    attached.put(invocation.key(), invocation);
  }

  void remove(Invocation invocation) {
    attached.remove(invocation.key());
  }

  /** Ends every open conversation, e.g. when the verticle is undeployed. */
  void endAll(EndReason reason) {
    attached.values().forEach(invocation -> invocation.end(reason));
  }

  private void handle(Message<JsonObject> message) {
    String key = Headers.requestId(message.headers().get(Headers.CONNECTION), message.headers().get(Headers.REQUEST));
    Invocation invocation = attached.get(key);
    if (invocation == null) {
      return;
    }
    String kind = message.headers().get(Headers.KIND);
    if (Headers.KIND_ROUND.equals(kind)) {
      invocation.deliverRound(message.body());
    } else if (Headers.KIND_END.equals(kind)) {
      invocation.end(endReason(message.headers().get(Headers.END_REASON)));
    }
  }

  private static EndReason endReason(String name) {
    try {
      return EndReason.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException unknown) {
      return EndReason.CANCELLED;
    }
  }
}
