package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * One client WebSocket: reads frames, routes envelopes, writes answers, and on close removes
 * every trace of itself. Its state is touched only from its own event loop; other threads reach
 * it as a {@link Recipient}.
 */
final class Connection implements Audience.Member, Recipient {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final NodeParts node;
  /** Told once this connection closed: its slot and its place in the node's rounds are given back. */
  private final Consumer<Connection> onClosed;
  private final ServerWebSocket ws;
  private final Context context;
  private final Thread thread;
  private final FrameAssembler assembler;
  private final Outbox outbox;
  private final Principal principal;
  private long expiryTimer = -1;
  private final OpenRequests requests;
  private final Subscriptions subscriptions;
  private final String address = Addresses.CONNECTION_PREFIX + UUID.randomUUID();
  /** Where it sits in the broadcast audience's arrays, kept by that audience. */
  private int audienceSlot;
  private volatile long lastHeardMs = System.currentTimeMillis();
  private final long openedAtNanos = System.nanoTime();
  private volatile boolean closed;
  private boolean draining;
  /** Set once this side started closing: nothing more is read or written. */
  private volatile boolean closing;
  /** The close this side sent: what the log reports, as the peer may never echo it (1006). */
  private Short sentCode;
  private String sentReason;
  /** v2: this connection's history streams and presence (PROTOCOL.md v2). */
  private final HistoryStreams historyStreams;
  private final ConnectionPresence presence;
  private final OpenQueries queries;

  Connection(ServerWebSocket ws, Context context, Principal principal, NodeParts node, Consumer<Connection> onClosed) {
    this.node = node;
    this.onClosed = onClosed;
    this.principal = principal;
    this.ws = ws;
    this.context = context;
    this.thread = Thread.currentThread();
    this.outbox = new Outbox(ws, node.options().getMaxWriteQueueBytes(), node.metrics(), this::slowConsumer);
    this.requests = new OpenRequests(this, address, node, principal);
    this.historyStreams = new HistoryStreams(this, outbox, node.history(), node.metrics(), node.options().getMaxWriteQueueBytes());
    outbox.onReplayRoom(historyStreams::pump);
    this.presence = new ConnectionPresence(node.presence(), address, principal.header() == null ? null : principal.subject());
    this.queries = new OpenQueries(this, this::sendAck, principal, node.queries());
    this.subscriptions = new Subscriptions(this, this::sendAck, principal, node, historyStreams, presence);
    EnvelopeRouter router = new EnvelopeRouter(node.envelopeReader(), node.metrics(), principal, requests, subscriptions, queries,
      this::write, () -> close(CloseCodes.TOO_BIG, "message over " + node.options().getMaxFrameSize() + " bytes"));
    this.assembler = new FrameAssembler(node.options().getMaxFrameSize(), router);
  }

  void start() {
    ws.frameHandler(this::frame);
    ws.pongHandler(pong -> heard());
    ws.exceptionHandler(this::failed);
    ws.closeHandler(v -> cleanUp());
    ConnectionLog.opened(address, ws.remoteAddress(), principal.header() == null ? null : principal.subject());
    if (principal.expiresAtMs() > 0) {
      long delay = Math.max(1, principal.expiresAtMs() - System.currentTimeMillis());
      expiryTimer = node.vertx().setTimer(delay, id -> onContext(() -> close(CloseCodes.POLICY, "token expired")));
    }
  }

  @Override
  public Context context() {
    return context;
  }

  /** As a member of the broadcast audience. */
  @Override
  public Recipient recipient() {
    return this;
  }

  /** As a member of the broadcast audience: until it closed. */
  @Override
  public boolean present() {
    return !closed;
  }

  @Override
  public int slot() {
    return audienceSlot;
  }

  @Override
  public void slot(int slot) {
    audienceSlot = slot;
  }

  @Override
  public Thread thread() {
    return thread;
  }

  /** Writes a response. */
  void send(JsonObject frame) {
    write(frame, node.metrics().responsesOut);
  }

  /** Writes a response already encoded. */
  void sendText(String frame) {
    if (!closed && !closing) {
      outbox.answer(frame, node.metrics().responsesOut);
    }
  }

  /** Writes an intermediate response: a stream, never written past the write-queue bound. */
  void sendMore(JsonObject frame) {
    sendMoreText(frame.encode());
  }

  /** As {@link #sendMore}, already encoded. */
  void sendMoreText(String frame) {
    if (!closed && !closing) {
      outbox.stream(frame, node.metrics().responsesOut);
    }
  }

  private void sendAck(JsonObject frame) {
    write(frame, node.metrics().acksOut);
  }

  private void write(JsonObject frame, Counter kind) {
    if (!closed && !closing) {
      outbox.answer(frame.encode(), kind);
    }
  }

  /** Writes a frame pushed by a handler or backend: a stream, never written past the write-queue bound. */
  void push(String text) {
    if (!closed && !closing) {
      outbox.stream(text, node.metrics().pushesOut);
    }
  }

  /**
   * The client does not read what is sent to it: close it (1013), and tell the handlers that
   * still stream to it that it is gone now, not when the socket is finally closed (a task queued
   * behind the backlog their streams caused). Safe inside a write: ending a request twice is a no-op.
   */
  private void slowConsumer() {
    close(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
    requests.closeAll();
  }

  /** A cluster member left: the requests it held end now (runs on this connection's loop). */
  void memberLeft(String nodeId) {
    if (!closed) {
      requests.memberLeft(nodeId);
    }
  }

  @Override
  public void historyPublication(String topic, long offset, String epoch, String text) {
    if (!closed && !closing) {
      historyStreams.live(topic, offset, epoch, text);
    }
  }

  @Override
  public void presenceEvent(String topic, String text) {
    if (!closed && !closing && presence.wantsEvents(topic)) {
      outbox.publish(text, false, node.metrics().publicationsOut);
    }
  }

  @Override
  public void publication(String text, boolean droppable, Counter kind) {
    if (!closed && !closing) {
      outbox.publish(text, droppable, kind);
    }
  }

  /**
   * Pings a connection quiet in either direction, closes a peer that stayed silent after the
   * ping. Regular writes also keep the socket's write-idle timeout for healthy connections.
   * Runs on the connection's loop.
   */
  void checkAlive(long nowMs, long pingIntervalMs, long pongTimeoutMs) {
    if (closed || closing) {
      return;
    }
    long silentMs = nowMs - lastHeardMs;
    if (silentMs >= pingIntervalMs + pongTimeoutMs) {
      close(CloseCodes.GOING_AWAY, "ping timeout");
    } else if (silentMs >= pingIntervalMs || nowMs - outbox.lastWriteMs() >= pingIntervalMs) {
      outbox.ping();
    }
  }

  @Override
  public void close(short code, String reason) {
    if (!closed && !closing) {
      closing = true;
      sentCode = code;
      sentReason = reason;
      ws.close(code, reason);
    }
  }

  boolean draining() {
    return draining;
  }

  /** Called by {@link OpenRequests} when a request got its final response. */
  void requestFinished() {
    if (draining && requests.size() == 0) {
      close(CloseCodes.GOING_AWAY, "going away");
    }
  }

  /** The node is stopping: new requests get 503, open ones finish, then goodbye (1001). */
  void drain() {
    draining = true;
    requestFinished();
  }

  private void heard() {
    lastHeardMs = System.currentTimeMillis();
  }

  private void frame(WebSocketFrame frame) {
    heard();
    if (!closed && !closing) {
      assembler.frame(frame);
    }
  }

  private void failed(Throwable err) {
    if (err instanceof CorruptedWebSocketFrameException) {
      // the decoder refused a frame (over the size limit, or malformed) and reads no more:
      // say why instead of leaving the client with a bare TCP close (1006)
      CorruptedWebSocketFrameException corrupt = (CorruptedWebSocketFrameException) err;
      short code = (short) corrupt.closeStatus().code();
      close(code, code == CloseCodes.TOO_BIG ? "frame over " + node.options().getMaxFrameSize() + " bytes" : "protocol error");
      return;
    }
    log.debug("connection {}: {}", address, err.toString());
  }

  private void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    if (expiryTimer >= 0) {
      node.vertx().cancelTimer(expiryTimer);
    }
    requests.close();
    subscriptions.close();
    historyStreams.clear();
    presence.closed();
    onClosed.accept(this);
    long durationMs = (System.nanoTime() - openedAtNanos) / 1_000_000;
    // a close this side started may never be answered: report what was sent
    Short code = sentCode != null ? sentCode : ws.closeStatusCode();
    String reason = sentCode != null ? sentReason : ws.closeReason();
    node.metrics().closed(code, reason);
    ConnectionLog.closed(address, code, reason, durationMs);
  }
}
