package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.Headers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What a gateway connection does on the event bus, played by the test: it sends requests to
 * {@code cmd.<name>} with a connection address and request keys, takes attaches (noting the
 * handler's control address), intermediate responses and marks, and sends rounds and end notices.
 * Every message to the connection is kept in arrival order.
 */
final class GatewaySide {

  static final long AWAIT_SECONDS = 10;
  /** A message a test handler sends to its connection to show that nothing came before it. */
  static final String KIND_MARK = "test-mark";

  private final Vertx vertx;
  private final String address = Addresses.CONNECTION_PREFIX + UUID.randomUUID();
  private final MessageConsumer<Object> consumer;
  private final List<Message<Object>> received = new ArrayList<>();
  private final Queue<Waiter> waiters = new ArrayDeque<>();
  /** Attaches are answered as the gateway does for an open request, or refused with 499 when false. */
  private volatile boolean acceptAttach = true;
  private volatile String control;

  GatewaySide(Vertx vertx) {
    this.vertx = vertx;
    consumer = vertx.eventBus().consumer(address, this::arrived);
    await(consumer.completion());
  }

  String address() {
    return address;
  }

  GatewaySide refuseAttach() {
    acceptAttach = false;
    return this;
  }

  /** Sends request {@code requestKey}; completes with the handler's final answer (or its failure). */
  Future<Message<Object>> request(String command, String requestKey, JsonObject kwargs, long timeoutMs) {
    return request(requestKey, frame(command, kwargs), timeoutMs);
  }

  /** Sends the request frame as the gateway does, {@code args}/{@code kwargs} filled in. */
  Future<Message<Object>> request(String requestKey, JsonObject frame, long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions()
      .addHeader(Headers.CONNECTION, address)
      .addHeader(Headers.REQUEST, requestKey)
      .setSendTimeout(AWAIT_SECONDS * 1_000);
    if (timeoutMs > 0) {
      options.addHeader(Headers.TIMEOUT, Long.toString(timeoutMs));
    }
    frame.put(Envelope.ID, requestKey);
    return vertx.eventBus().request(Addresses.command(frame.getString(Envelope.COMMAND)), frame, options);
  }

  static JsonObject frame(String command, JsonObject kwargs) {
    return new JsonObject().put(Envelope.COMMAND, command).put(Envelope.ARGS, new JsonArray())
      .put(Envelope.KWARGS, kwargs == null ? new JsonObject() : kwargs);
  }

  /** The client's next round of request {@code requestKey}, to the handler's control address. */
  void round(String requestKey, JsonObject kwargs) {
    vertx.eventBus().send(control(), new JsonObject().put(Envelope.KWARGS, kwargs), controlHeaders(Headers.KIND_ROUND, requestKey));
  }

  /** The gateway's end notice of request {@code requestKey}. */
  void end(String requestKey, String reason) {
    vertx.eventBus().send(control(), null, controlHeaders(Headers.KIND_END, requestKey).addHeader(Headers.END_REASON, reason));
  }

  /** The next message of {@code kind} to the connection; earlier ones of other kinds stay. */
  synchronized Future<Message<Object>> next(String kind) {
    for (Message<Object> message : received) {
      if (kind.equals(message.headers().get(Headers.KIND))) {
        received.remove(message);
        return Future.succeededFuture(message);
      }
    }
    Waiter waiter = new Waiter(kind);
    waiters.add(waiter);
    return waiter.promise.future();
  }

  /** Every message to the connection not taken by {@link #next}, in arrival order. */
  synchronized List<Message<Object>> pending() {
    return new ArrayList<>(received);
  }

  void close() {
    await(consumer.unregister());
  }

  private String control() {
    if (control == null) {
      throw new AssertionError("no handler attached yet");
    }
    return control;
  }

  private DeliveryOptions controlHeaders(String kind, String requestKey) {
    return new DeliveryOptions().addHeader(Headers.KIND, kind).addHeader(Headers.CONNECTION, address)
      .addHeader(Headers.REQUEST, requestKey);
  }

  private void arrived(Message<Object> message) {
    if (Headers.KIND_ATTACH.equals(message.headers().get(Headers.KIND))) {
      if (!acceptAttach) {
        message.fail(Status.CANCELLED, EndReason.CANCELLED.name());
        return;
      }
      control = message.headers().get(Headers.CONTROL);
      message.reply(null);
    }
    keep(message);
  }

  private synchronized void keep(Message<Object> message) {
    for (Waiter waiter : waiters) {
      if (waiter.kind.equals(message.headers().get(Headers.KIND))) {
        waiters.remove(waiter);
        waiter.promise.complete(message);
        return;
      }
    }
    received.add(message);
  }

  /** Blocks the (non Vert.x) test thread for a future, failing after {@link #AWAIT_SECONDS}. */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not completed within " + AWAIT_SECONDS + " s: " + e, e);
    }
  }

  /** The failure a future ended with, failing the test if it succeeded. */
  static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("not completed within " + AWAIT_SECONDS + " s: " + e, e);
    }
    throw new AssertionError("succeeded: " + future.result());
  }

  private static final class Waiter {

    final String kind;
    final Promise<Message<Object>> promise = Promise.promise();

    Waiter(String kind) {
      this.kind = kind;
    }
  }
}
