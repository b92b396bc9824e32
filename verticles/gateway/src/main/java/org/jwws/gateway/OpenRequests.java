package org.jwws.gateway;

import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.EndReason;
import org.jwws.shared.Status;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

  private static final Logger log = LoggerFactory.getLogger(OpenRequests.class);

  private final Connection connection;
  /** The connection's address: handlers and backend code answer and push to it. */
  private final String address;
  /** Where handlers answer to: registered with the first request. */
  private final ConnectionInbox inbox;
  private final EventBus eventBus;
  private final GatewayOptions options;
  private final Principal principal;
  private final GatewayMetrics metrics;
  private final RequestLosses losses;
  /** Every request whose slot is taken: until its handler is done, even after the client's final response. */
  private final Map<Long, OpenRequest> byKey = new HashMap<>();
  /** Requests the client has no final response to yet, by the client's id. */
  private final Map<Object, OpenRequest> byId = new HashMap<>();
  private final ToHandlers toHandlers;
  /** Requests served by this JVM's handler instances without the event bus; null when {@code localCalls} is off. */
  private final LocalCalls localCalls;
  /** Made with the first ordered request: most connections never send one. */
  private OrderedQueue ordered;
  private long nextKey;
  /** Rounds held for handlers that have not attached yet, over all open requests. */
  private int pendingRounds;

  OpenRequests(Connection connection, String address, NodeParts node, Principal principal) {
    this.connection = connection;
    this.address = address;
    this.metrics = node.metrics();
    this.principal = principal;
    this.eventBus = node.eventBus();
    this.options = node.options();
    this.losses = new RequestLosses(node.vertx(), node.memberLosses(), address, connection, this::lost);
    this.toHandlers = new ToHandlers(eventBus, address);
    this.localCalls = node.soleServers() == null ? null
      : new LocalCalls(node.soleServers(), node.vertx(), connection, address, options.getSrc(), new DirectOutcome());
    this.inbox = new ConnectionInbox(eventBus, address, connection, this::inboxMessage);
  }

  /** Slots taken: requests whose handler is not done with them. */
  int size() {
    return byKey.size();
  }

  void request(Inbound in) {
    if (in.id != null) {
      OpenRequest open = byId.get(RequestFrames.idKey(in.id));
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
    OpenRequest open = new OpenRequest(nextKey++, in.id, in.command, options.requestTimeoutMs(in.command),
      RequestFrames.askedOrdered(in.frame) || options.orderedCommand(in.command), RequestFrames.withDefaults(in.frame));
    byKey.put(open.key, open);
    metrics.openRequests.increment();
    if (in.id != null) {
      byId.put(RequestFrames.idKey(in.id), open);
    }
    if (open.ordered) {
      if (ordered == null) {
        ordered = new OrderedQueue(this::send);
      }
      ordered.add(open);
    } else {
      send(open);
    }
  }

  /** Sends the request to its handler once the inbox is registered: its timeout runs from then. */
  private void send(OpenRequest open) {
    inbox.registered().onComplete(inbox -> connection.onContext(() -> {
      if (open.done) {
        return;
      }
      if (inbox.failed()) {
        answerError(open, Status.UNAVAILABLE, "gateway could not register the connection");
        release(open);
        return;
      }
      JsonObject body = open.body;
      open.body = null;
      open.sentNanos = System.nanoTime();
      open.deadlineMs = System.currentTimeMillis() + open.timeoutMs;
      if (localCalls != null && localCalls.call(open, body, principal.header())) {
        return;
      }
      toHandlers.request(open, body, principal.header(), losses.sending(open)).onComplete(reply -> answered(open, reply));
    }));
  }

  /** Answers a request that is not routed at all. */
  void refuse(Inbound in, int code, String msg) {
    connection.send(Envelope.error(options.getSrc(), code, msg, in.command, in.id));
    metrics.requestDone(in.command, code, System.nanoTime(), false, msg);
  }

  /**
   * 499 at once; the slot stays taken until the handler confirms it stopped or never started,
   * and is free at once when the request was not sent (waiting its turn or for the inbox).
   */
  void cancel(Inbound in) {
    OpenRequest open = byId.get(RequestFrames.idKey(in.id));
    if (open == null) {
      connection.send(Envelope.error(options.getSrc(), Status.NOT_FOUND, "no open request with this id", null, in.id));
      return;
    }
    toHandlers.stop(open, EndReason.CANCELLED);
    if (open.ordered) {
      ordered.remove(open);
    }
    answerError(open, Status.CANCELLED, Status.reason(Status.CANCELLED));
    if (open.deadlineMs == 0) {
      release(open);
    }
  }

  /** What handlers say about a request (attach, more, receipt), and what they and backend code push. */
  private void inboxMessage(Message<Object> message) {
    String kind = message.headers().get(Headers.KIND);
    if (Headers.KIND_ATTACH.equals(kind)) {
      attach(message);
    } else if (Headers.KIND_MORE.equals(kind)) {
      more(message);
    } else if (Headers.KIND_RECEIPT.equals(kind)) {
      receipt(message);
    } else {
      try {
        connection.push(Frames.pushText(message.body()));
      } catch (IllegalArgumentException e) {
        log.debug("push to {} dropped: {}", address, e.getMessage());
      }
    }
  }

  /** A handler announced its control address: rounds and end notices go there from now on. */
  private void attach(Message<?> message) {
    OpenRequest open = byKey.get(RequestFrames.requestKey(message));
    if (open == null || open.answered) {
      message.fail(Status.CANCELLED, EndReason.CANCELLED.name());
      return;
    }
    open.control = message.headers().get(Headers.CONTROL);
    message.reply(null);
    while (!open.pendingRounds.isEmpty()) {
      pendingRounds--;
      toHandlers.round(open, open.pendingRounds.poll());
    }
  }

  /** An intermediate response from the handler. */
  private void more(Message<?> message) {
    OpenRequest open = byKey.get(RequestFrames.requestKey(message));
    if (open != null && !open.answered) {
      connection.sendMore(Replies.response(message.body(), message.headers().contains(Headers.ANSWER), options.getSrc(),
        open.command, open.id, true));
    }
  }

  /** A handler on another node took the request: if that node leaves, the request ends at once. */
  private void receipt(Message<?> message) {
    OpenRequest open = byKey.get(RequestFrames.requestKey(message));
    if (open != null) {
      open.node = message.headers().get(Headers.NODE);
    }
  }

  /** A cluster member left: the requests lost with it end (see {@link RequestLosses}). */
  void memberLeft(String nodeId) {
    losses.memberLeft(nodeId, byKey.values());
  }

  /** The connection closed: every request ends, its handlers are told (attached or not). */
  void closeAll() {
    if (ordered != null) {
      ordered.clear();
    }
    List<OpenRequest> all = new ArrayList<>(byKey.values());
    for (OpenRequest open : all) {
      forget(open);
      release(open);
    }
    toHandlers.connectionGone(all);
  }

  /** The connection closed: every request ends, and the inbox takes nothing more. */
  void close() {
    closeAll();
    inbox.close();
  }

  private void round(OpenRequest open, JsonObject frame) {
    if (open.control != null) {
      toHandlers.round(open, frame);
    } else if (pendingRounds < options.getMaxPendingRounds()) {
      open.pendingRounds.add(frame);
      pendingRounds++;
    } else {
      toHandlers.stop(open, EndReason.CANCELLED);
      answerError(open, Status.TOO_MANY, "too many rounds before the handler took the first");
    }
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
      if (Replies.timedOut(open, reply)) {
        toHandlers.end(open, EndReason.TIMED_OUT);
      }
      answer(open, Replies.finalResponse(open, reply, options.getSrc()), Replies.handlerTook(reply));
    }
    release(open);
  }

  /** How a request served by a handler instance of this JVM ends: as {@link #answered} for the event bus. */
  private final class DirectOutcome implements LocalCalls.Outcome {

    @Override
    public void taken(OpenRequest open) {
      losses.servedHere(open);
    }

    @Override
    public void more(OpenRequest open, String text) {
      if (!open.answered) {
        connection.sendMoreText(text);
      }
    }

    @Override
    public void answered(OpenRequest open, String text, int code, String msg) {
      if (!open.answered) {
        answer(open, text, code, msg, true);
      }
      release(open);
    }

    @Override
    public void timedOut(OpenRequest open) {
      if (!open.answered) {
        toHandlers.end(open, EndReason.TIMED_OUT);
        answer(open, Replies.noAnswer(options.getSrc(), open.command, open.id, open.timeoutMs), true);
      }
      release(open);
    }
  }

  /** The handler is gone with its node: the slot is free, the client (unless answered) gets 503. */
  private void lost(OpenRequest open, String msg) {
    if (!open.answered) {
      answerError(open, Status.UNAVAILABLE, msg);
    }
    release(open);
  }

  /** An error the gateway gives itself (no handler answered). */
  private void answerError(OpenRequest open, int code, String msg) {
    answer(open, Envelope.error(options.getSrc(), code, msg, open.command, open.id), false);
  }

  /**
   * Writes the client's final response: its id is free again, the next ordered request's turn
   * may come; after it, a draining connection may close once the slots are free too.
   *
   * @param answered a handler took the request (see {@link GatewayMetrics#requestDone})
   */
  private void answer(OpenRequest open, JsonObject response, boolean answered) {
    answer(open, response.encode(), response.getInteger(Envelope.CODE), response.getString(Envelope.MSG), answered);
  }

  /** As above, the response already encoded: {@code code} and {@code msg} are its own. */
  private void answer(OpenRequest open, String response, int code, String msg, boolean answered) {
    forget(open);
    connection.sendText(response);
    metrics.requestDone(open.command, code, open.startNanos, answered, msg);
    if (open.ordered) {
      ordered.finished(open);
    }
    connection.requestFinished();
  }

  /** The client's side of the request is over: no more rounds or intermediate responses. */
  private void forget(OpenRequest open) {
    open.answered = true;
    pendingRounds -= open.pendingRounds.size();
    open.pendingRounds.clear();
    if (open.id != null && byId.get(RequestFrames.idKey(open.id)) == open) {
      byId.remove(RequestFrames.idKey(open.id));
    }
  }

  /** The handler's side is over: the slot is free. */
  private void release(OpenRequest open) {
    if (open.done) {
      return;
    }
    open.done = true;
    losses.released(open);
    if (byKey.remove(open.key) != null) {
      metrics.openRequests.decrement();
    }
    connection.requestFinished();
  }
}
