package org.jwws.gateway;

import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.jwws.shared.Addresses;
import org.jwws.shared.EndReason;
import org.jwws.shared.Envelope;
import org.jwws.shared.Headers;
import org.jwws.shared.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The open requests of one connection: sends each to {@code cmd.<command>}, matches answers,
 * rounds and cancels by id, and tells attached handlers when a request ends early. Touched only
 * from the connection's event loop.
 */
final class OpenRequests {

  private final Connection connection;
  private final EventBus eventBus;
  private final GatewayOptions options;
  private final Principal principal;
  private final GatewayMetrics metrics;
  private final Map<Long, OpenRequest> byKey = new HashMap<>();
  private final Map<Object, OpenRequest> byId = new HashMap<>();
  private long nextKey;
  /** Rounds held for handlers that have not attached yet, over all open requests. */
  private int pendingRounds;

  OpenRequests(Connection connection, EventBus eventBus, GatewayOptions options, Principal principal, GatewayMetrics metrics) {
    this.connection = connection;
    this.metrics = metrics;
    this.principal = principal;
    this.eventBus = eventBus;
    this.options = options;
  }

  int size() {
    return byKey.size();
  }

  void request(Inbound in) {
    if (in.id != null) {
      OpenRequest open = byId.get(idKey(in.id));
      if (open != null) {
        if (open.command.equals(in.command)) {
          round(open, in.frame);
        } else {
          refuse(in, Status.CONFLICT, "id is in use by an open request of command " + open.command);
        }
        return;
      }
    }
    if (connection.draining()) {
      refuse(in, Status.UNAVAILABLE, "node is shutting down");
      return;
    }
    if (byKey.size() >= options.getMaxOpenRequests()) {
      refuse(in, Status.TOO_MANY, "too many open requests (limit " + options.getMaxOpenRequests() + ")");
      return;
    }
    OpenRequest open = new OpenRequest(nextKey++, in.id, in.command, options.requestTimeoutMs(in.command));
    byKey.put(open.key, open);
    metrics.openRequests.increment();
    if (in.id != null) {
      byId.put(idKey(in.id), open);
    }
    JsonObject body = withDefaults(in.frame);
    connection.inbox().onComplete(inbox -> connection.onContext(() -> {
      if (open.done) {
        return;
      }
      if (inbox.failed()) {
        failOpen(open, Status.UNAVAILABLE, "gateway could not register the connection");
        return;
      }
      // the default codec: a plain consumer in a JVM without the handler API must decode it
      DeliveryOptions delivery = new DeliveryOptions()
        .setSendTimeout(open.timeoutMs)
        .addHeader(Headers.CONNECTION, inbox.result())
        .addHeader(Headers.REQUEST, Long.toString(open.key))
        .addHeader(Headers.TIMEOUT, Long.toString(open.timeoutMs));
      if (principal.header() != null) {
        delivery.addHeader(Headers.PRINCIPAL, principal.header());
      }
      eventBus.request(Addresses.command(open.command), body, delivery).onComplete(reply -> answered(open, reply));
    }));
  }

  /** Answers a request that is not routed at all. */
  void refuse(Inbound in, int code, String msg) {
    connection.send(Envelope.error(options.getSrc(), code, msg, in.command, in.id));
    metrics.requestDone(in.command, code, System.nanoTime(), false, msg);
  }

  void cancel(Inbound in) {
    OpenRequest open = byId.get(idKey(in.id));
    if (open == null) {
      connection.send(Envelope.error(options.getSrc(), Status.NOT_FOUND, "no open request with this id", null, in.id));
      return;
    }
    tellHandler(open, EndReason.CANCELLED);
    failOpen(open, Status.CANCELLED, Status.reason(Status.CANCELLED));
  }

  /** A handler announced its control address: rounds and end notices go there from now on. */
  void attach(Message<?> message) {
    OpenRequest open = byKey.get(requestKey(message));
    if (open == null) {
      message.fail(Status.CANCELLED, EndReason.CANCELLED.name());
      return;
    }
    open.control = message.headers().get(Headers.CONTROL);
    message.reply(null);
    while (!open.pendingRounds.isEmpty()) {
      pendingRounds--;
      sendRound(open, open.pendingRounds.poll());
    }
  }

  /** An intermediate response from the handler. */
  void more(Message<?> message) {
    OpenRequest open = byKey.get(requestKey(message));
    if (open != null) {
      connection.send(Replies.response(message.body(), message.headers().contains(Headers.ANSWER), options.getSrc(),
        open.command, open.id, true));
    }
  }

  /** The connection closed: every open request ends, attached handlers are told. */
  void closeAll() {
    for (OpenRequest open : new ArrayList<>(byKey.values())) {
      finish(open);
      tellHandler(open, EndReason.CLIENT_GONE);
    }
  }

  private void round(OpenRequest open, JsonObject frame) {
    if (open.control != null) {
      sendRound(open, frame);
    } else if (pendingRounds < options.getMaxPendingRounds()) {
      open.pendingRounds.add(frame);
      pendingRounds++;
    } else {
      failOpen(open, Status.TOO_MANY, "too many rounds before the handler took the first");
    }
  }

  private void sendRound(OpenRequest open, JsonObject frame) {
    eventBus.send(open.control, withDefaults(frame), controlHeaders(open, Headers.KIND_ROUND));
  }

  private void answered(OpenRequest open, AsyncResult<Message<Object>> reply) {
    if (open.done) {
      return;
    }
    finish(open);
    if (reply.succeeded()) {
      Message<Object> answer = reply.result();
      sendFinal(open, Replies.response(answer.body(), answer.headers().contains(Headers.ANSWER), options.getSrc(),
        open.command, open.id, false), true);
      return;
    }
    Throwable err = reply.cause();
    ReplyFailure failure = err instanceof ReplyException ? ((ReplyException) err).failureType() : null;
    if (failure == ReplyFailure.TIMEOUT) {
      tellHandler(open, EndReason.TIMED_OUT);
    }
    sendFinal(open, Replies.failure(err, options.getSrc(), open.command, open.id, open.timeoutMs), failure != ReplyFailure.NO_HANDLERS);
  }

  /** Ends an open request with an error the gateway gives itself (no handler answered). */
  private void failOpen(OpenRequest open, int code, String msg) {
    finish(open);
    sendFinal(open, Envelope.error(options.getSrc(), code, msg, open.command, open.id), false);
  }

  private void finish(OpenRequest open) {
    open.done = true;
    pendingRounds -= open.pendingRounds.size();
    open.pendingRounds.clear();
    if (byKey.remove(open.key) != null) {
      metrics.openRequests.decrement();
    }
    if (open.id != null) {
      byId.remove(idKey(open.id));
    }
  }

  /**
   * Writes a final response: after it, a draining connection may close.
   *
   * @param answered a handler took the request (see {@link GatewayMetrics#requestDone})
   */
  private void sendFinal(OpenRequest open, JsonObject response, boolean answered) {
    connection.send(response);
    metrics.requestDone(open.command, response.getInteger(Envelope.CODE), open.startNanos, answered, response.getString(Envelope.MSG));
    connection.requestFinished();
  }

  private void tellHandler(OpenRequest open, EndReason reason) {
    if (open.control != null) {
      eventBus.send(open.control, null, controlHeaders(open, Headers.KIND_END).addHeader(Headers.END_REASON, reason.name()));
    }
  }

  private DeliveryOptions controlHeaders(OpenRequest open, String kind) {
    return new DeliveryOptions()
      .addHeader(Headers.KIND, kind)
      .addHeader(Headers.CONNECTION, connection.address())
      .addHeader(Headers.REQUEST, Long.toString(open.key));
  }

  private static long requestKey(Message<?> message) {
    try {
      return Long.parseLong(message.headers().get(Headers.REQUEST));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Ids compare by type and exact value: {@code "1"} and {@code 1} are different ids, an integer
   * is the same id whichever Java type holds it (EnvelopeReader admits no other numbers).
   */
  private static Object idKey(Object id) {
    // fully qualified: this method is the whole change here
    if (id instanceof java.math.BigInteger) {
      java.math.BigInteger big = (java.math.BigInteger) id;
      return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
    }
    return id instanceof Integer || id instanceof Long ? (Object) ((Number) id).longValue() : id;
  }

  /** Absent or null {@code args}/{@code kwargs} become {@code []}/{@code {}}. */
  private static JsonObject withDefaults(JsonObject frame) {
    if (frame.getValue(Envelope.ARGS) == null) {
      frame.put(Envelope.ARGS, new JsonArray());
    }
    if (frame.getValue(Envelope.KWARGS) == null) {
      frame.put(Envelope.KWARGS, new JsonObject());
    }
    return frame;
  }
}
