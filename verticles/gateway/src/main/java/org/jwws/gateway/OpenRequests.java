package org.jwws.gateway;

import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.jwws.shared.Addresses;
import org.jwws.shared.CancelNotices;
import org.jwws.shared.EndReason;
import org.jwws.shared.Envelope;
import org.jwws.shared.Headers;
import org.jwws.shared.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The open requests of one connection: sends each to {@code cmd.<command>}, matches answers,
 * rounds and cancels by id, and tells handlers when a request ends early (attached ones by
 * their control address, the others by a cancel notice). A request holds one of the
 * connection's {@code maxOpenRequests} slots until its handler is done with it, even when the
 * client had its final response first (cancel): so the handler work a client can cause is
 * bounded too. Touched only from the connection's event loop.
 */
final class OpenRequests {

  private final Connection connection;
  private final EventBus eventBus;
  private final GatewayOptions options;
  private final Principal principal;
  private final GatewayMetrics metrics;
  private final MemberLosses losses;
  private final Vertx vertx;
  /** Every request whose slot is taken: until its handler is done, even after the client's final response. */
  private final Map<Long, OpenRequest> byKey = new HashMap<>();
  /** Requests the client has no final response to yet, by the client's id. */
  private final Map<Object, OpenRequest> byId = new HashMap<>();
  private long nextKey;
  /** Rounds held for handlers that have not attached yet, over all open requests. */
  private int pendingRounds;

  OpenRequests(Connection connection, NodeParts node, Principal principal) {
    this.connection = connection;
    this.metrics = node.metrics();
    this.principal = principal;
    this.eventBus = node.eventBus();
    this.options = node.options();
    this.losses = node.memberLosses();
    this.vertx = node.vertx();
  }

  /** Slots taken: requests whose handler is not done with them. */
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
        answerError(open, Status.UNAVAILABLE, "gateway could not register the connection");
        release(open);
        return;
      }
      open.deadlineMs = System.currentTimeMillis() + open.timeoutMs;
      // the default codec: a plain consumer in a JVM without the handler API must decode it
      DeliveryOptions delivery = new DeliveryOptions()
        .setSendTimeout(open.timeoutMs)
        .addHeader(Headers.CONNECTION, inbox.result())
        .addHeader(Headers.REQUEST, Long.toString(open.key))
        .addHeader(Headers.TIMEOUT, Long.toString(open.timeoutMs))
        .addHeader(Headers.DEADLINE, Long.toString(open.deadlineMs));
      if (principal.header() != null) {
        delivery.addHeader(Headers.PRINCIPAL, principal.header());
      }
      String gatewayNode = losses.gatewayHeader();
      if (gatewayNode != null) {
        delivery.addHeader(Headers.GATEWAY_NODE, gatewayNode);
        if (losses.watching()) {
          expectReceipt(open);
        }
      }
      eventBus.request(Addresses.command(open.command), body, delivery).onComplete(reply -> answered(open, reply));
    }));
  }

  /** Answers a request that is not routed at all. */
  void refuse(Inbound in, int code, String msg) {
    connection.send(Envelope.error(options.getSrc(), code, msg, in.command, in.id));
    metrics.requestDone(in.command, code, System.nanoTime(), false, msg);
  }

  /** 499 at once; the slot stays taken until the handler confirms it stopped or never started. */
  void cancel(Inbound in) {
    OpenRequest open = byId.get(idKey(in.id));
    if (open == null) {
      connection.send(Envelope.error(options.getSrc(), Status.NOT_FOUND, "no open request with this id", null, in.id));
      return;
    }
    abandon(open, EndReason.CANCELLED);
    answerError(open, Status.CANCELLED, Status.reason(Status.CANCELLED));
  }

  /** A handler announced its control address: rounds and end notices go there from now on. */
  void attach(Message<?> message) {
    OpenRequest open = byKey.get(requestKey(message));
    if (open == null || open.answered) {
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
    if (open != null && !open.answered) {
      connection.sendMore(Replies.response(message.body(), message.headers().contains(Headers.ANSWER), options.getSrc(),
        open.command, open.id, true));
    }
  }

  /** A handler on another node took the request: if that node leaves, the request ends at once. */
  void receipt(Message<?> message) {
    OpenRequest open = byKey.get(requestKey(message));
    if (open != null) {
      open.node = message.headers().get(Headers.NODE);
    }
  }

  /**
   * A cluster member left: requests it holds end with 503 now; those sent with no receipt get
   * {@link MemberLosses#RECEIPT_GRACE_MS} for one (or to be found held by this node's handlers).
   */
  void memberLeft(String nodeId) {
    for (OpenRequest open : new ArrayList<>(byKey.values())) {
      if (nodeId.equals(open.node)) {
        lost(open, "handler node " + nodeId + " left the cluster");
      } else if (open.node == null && open.deadlineMs > 0) {
        // (one not sent yet is checked when it is: the node is watching then)
        expectReceipt(open);
      }
    }
  }

  /** The connection closed: every request ends, its handlers are told (attached or not). */
  void closeAll() {
    // one notice per node holding unattached requests: its waiting ones of this connection do not start
    Map<String, Long> lastDeadlineByNode = new HashMap<>();
    for (OpenRequest open : new ArrayList<>(byKey.values())) {
      forget(open);
      release(open);
      if (open.control != null) {
        tellHandler(open, EndReason.CLIENT_GONE);
      } else if (open.deadlineMs > 0) {
        lastDeadlineByNode.merge(holder(open), open.deadlineMs, Math::max);
      }
    }
    lastDeadlineByNode.forEach((node, deadline) -> CancelNotices.send(eventBus, node, connection.address(), null, deadline));
  }

  private void round(OpenRequest open, JsonObject frame) {
    if (open.control != null) {
      sendRound(open, frame);
    } else if (pendingRounds < options.getMaxPendingRounds()) {
      open.pendingRounds.add(frame);
      pendingRounds++;
    } else {
      abandon(open, EndReason.CANCELLED);
      answerError(open, Status.TOO_MANY, "too many rounds before the handler took the first");
    }
  }

  private void sendRound(OpenRequest open, JsonObject frame) {
    eventBus.send(open.control, withDefaults(frame), controlHeaders(open, Headers.KIND_ROUND));
  }

  /**
   * The event-bus reply: the handler is done (answered, failed, dropped it, or the timeout
   * passed). The slot is freed after the client's response, so a draining connection says goodbye after it.
   */
  private void answered(OpenRequest open, AsyncResult<Message<Object>> reply) {
    if (open.done) {
      return;
    }
    if (!open.answered) {
      answer(open, reply);
    }
    release(open);
  }

  private void answer(OpenRequest open, AsyncResult<Message<Object>> reply) {
    if (reply.succeeded()) {
      Message<Object> answer = reply.result();
      answer(open, Replies.response(answer.body(), answer.headers().contains(Headers.ANSWER), options.getSrc(),
        open.command, open.id, false), true);
      return;
    }
    Throwable err = reply.cause();
    ReplyFailure failure = err instanceof ReplyException ? ((ReplyException) err).failureType() : null;
    // Vert.x answers TIMEOUT at once when the handler's consumer discarded the request (unregistered)
    boolean discarded = failure == ReplyFailure.TIMEOUT
      && System.nanoTime() - open.startNanos < (open.timeoutMs - 5) * 1_000_000L;
    if (failure == ReplyFailure.TIMEOUT && !discarded) {
      tellHandler(open, EndReason.TIMED_OUT);
    }
    answer(open, Replies.failure(err, discarded, options.getSrc(), open.command, open.id, open.timeoutMs),
      failure != ReplyFailure.NO_HANDLERS);
  }

  /** Checks, after the grace period, that a live handler took the request; else it is taken as lost with a member. */
  private void expectReceipt(OpenRequest open) {
    vertx.setTimer(MemberLosses.RECEIPT_GRACE_MS, id -> connection.onContext(() -> {
      // no receipt and not held here: no live handler received it (a plain consumer may have, see PROTOCOL.md)
      if (!open.done && open.node == null && !losses.heldHere(connection.address(), open.key)) {
        lost(open, "no handler took the request within " + MemberLosses.RECEIPT_GRACE_MS + " ms while a cluster member left");
      }
    }));
  }

  /** The handler is gone with its node: the slot is free, the client (unless answered) gets 503. */
  private void lost(OpenRequest open, String msg) {
    if (!open.answered) {
      answerError(open, Status.UNAVAILABLE, msg);
    }
    release(open);
  }

  /** Tells the handler to stop: by its control address when attached, else by a cancel notice to the JVM holding it. */
  private void abandon(OpenRequest open, EndReason reason) {
    if (open.control != null) {
      tellHandler(open, reason);
    } else if (open.deadlineMs > 0) {
      CancelNotices.send(eventBus, holder(open), connection.address(), Long.toString(open.key), open.deadlineMs);
    }
  }

  /**
   * The node whose handler JVM holds the request, from its receipt; null when unknown (served on
   * this node, or its receipt is still on its way: a handler's first send to a connection needs
   * a cluster lookup), then every handler JVM is told.
   */
  private static String holder(OpenRequest open) {
    return open.node;
  }

  /** An error the gateway gives itself (no handler answered). */
  private void answerError(OpenRequest open, int code, String msg) {
    answer(open, Envelope.error(options.getSrc(), code, msg, open.command, open.id), false);
  }

  /**
   * Writes the client's final response: its id is free again; after it, a draining connection
   * may close once the slots are free too.
   *
   * @param answered a handler took the request (see {@link GatewayMetrics#requestDone})
   */
  private void answer(OpenRequest open, JsonObject response, boolean answered) {
    forget(open);
    connection.send(response);
    metrics.requestDone(open.command, response.getInteger(Envelope.CODE), open.startNanos, answered, response.getString(Envelope.MSG));
    connection.requestFinished();
  }

  /** The client's side of the request is over: no more rounds or intermediate responses. */
  private void forget(OpenRequest open) {
    open.answered = true;
    pendingRounds -= open.pendingRounds.size();
    open.pendingRounds.clear();
    if (open.id != null && byId.get(idKey(open.id)) == open) {
      byId.remove(idKey(open.id));
    }
  }

  /** The handler's side is over: the slot is free. */
  private void release(OpenRequest open) {
    if (open.done) {
      return;
    }
    open.done = true;
    if (open.deadlineMs > 0) {
      losses.released(connection.address(), open.key);
    }
    if (byKey.remove(open.key) != null) {
      metrics.openRequests.decrement();
    }
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
