package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayDeque;

/**
 * The outbound side of one connection: writes frames and bounds what waits for a client that
 * reads slowly or not at all. Every frame goes through here, and none is written past the
 * bound: what would exceed it closes the client (1013 "slow consumer"). Touched only from the
 * connection's event loop.
 * <ul>
 *   <li>While the write queue is full ({@code maxWriteQueueBytes}) the client's frames are not
 *   read, so it cannot cause more.</li>
 *   <li>Frames the client caused ({@link #answer}: final responses, acks, errors) may still be
 *   written while the queue is full, up to a headroom of a quarter of the bound on top of it:
 *   the answers to what it sent before its reading was paused. Past the headroom, 1013.</li>
 *   <li>Frames that come whether the client reads or not ({@link #stream}: intermediate
 *   responses, pushes) and publications close the client when they find the queue full,
 *   except publications of drop-oldest topics: they wait in a queue of the same byte bound
 *   that drops its oldest entries.</li>
 *   <li>Replays of history (v2 recovery, {@link #replay}) are paced instead: written only while
 *   the client reads and their own frames not yet written out stay under half the bound, so
 *   that live frames keep the other half; more is written as those are.</li>
 *   <li>Pings are not written while the queue is full: a peer whose writes stopped completing
 *   is closed by the socket's write-idle timeout.</li>
 * </ul>
 */
final class Outbox {

  private final ServerWebSocket ws;
  private final int maxBytes;
  private final GatewayMetrics metrics;
  private final Runnable slowConsumer;
  private final ArrayDeque<String> held = new ArrayDeque<>();
  private long heldChars;
  /** Characters of answers written while the queue was full, since it last drained. */
  private long overflowChars;
  /** Characters of replayed publications handed to the socket and not yet written out. */
  private long replayChars;
  private Runnable replayRoom = () -> { };
  private boolean readingPaused;
  private long lastWriteMs = System.currentTimeMillis();

  Outbox(ServerWebSocket ws, int maxBytes, GatewayMetrics metrics, Runnable slowConsumer) {
    this.ws = ws;
    this.maxBytes = maxBytes;
    this.metrics = metrics;
    this.slowConsumer = slowConsumer;
    ws.setWriteQueueMaxSize(maxBytes);
    ws.drainHandler(v -> drained());
  }

  /** A frame the client caused (final response, ack, error), counted by {@code kind}. */
  void answer(String text, Counter kind) {
    if (ws.isClosed()) {
      return;
    }
    if (ws.writeQueueFull()) {
      overflowChars += text.length();
      if (overflowChars > maxBytes / 4) {
        slowConsumer();
        return;
      }
    }
    writeAndPauseWhenFull(text, kind);
  }

  /** An intermediate response or a push, counted by {@code kind}: never written past the bound. */
  void stream(String text, Counter kind) {
    if (ws.isClosed()) {
      return;
    }
    if (!held.isEmpty() || ws.writeQueueFull()) {
      slowConsumer();
      return;
    }
    writeAndPauseWhenFull(text, kind);
  }

  private void writeAndPauseWhenFull(String text, Counter kind) {
    writeNow(text, kind);
    if (!readingPaused && ws.writeQueueFull()) {
      readingPaused = true;
      ws.pause();
    }
  }

  /** The client does not keep up: closed 1013, counted. */
  void slowConsumer() {
    metrics.slowConsumerCloses.increment();
    slowConsumer.run();
  }

  /**
   * A publication or broadcast, counted by {@code kind}; {@code droppable} for drop-oldest
   * topics (only their publications are ever held).
   */
  void publish(String text, boolean droppable, Counter kind) {
    if (ws.isClosed()) {
      return;
    }
    if (held.isEmpty() && !ws.writeQueueFull()) {
      writeNow(text, kind);
      return;
    }
    if (!droppable) {
      slowConsumer();
      return;
    }
    held.add(text);
    heldChars += text.length();
    while (heldChars > maxBytes && held.size() > 1) {
      heldChars -= held.poll().length();
      metrics.publicationsDropped.increment();
    }
  }

  /**
   * Room for a replayed publication now: the client reads (queue not full, no publication
   * held) and the replays' frames not yet written out are under half the bound.
   */
  boolean roomForReplay() {
    return !ws.isClosed() && held.isEmpty() && replayChars < maxBytes / 2 && !ws.writeQueueFull();
  }

  /** Called when there may be room for replays again: a replayed frame was written out, or the queue drained. */
  void onReplayRoom(Runnable action) {
    replayRoom = action;
  }

  /** A replayed publication, counted by {@code kind}: call it only while {@link #roomForReplay}. */
  void replay(String text, Counter kind) {
    int chars = text.length();
    replayChars += chars;
    lastWriteMs = System.currentTimeMillis();
    kind.increment();
    // completes once the frame left for the socket, at once when the socket took it
    ws.writeTextMessage(text).onComplete(written -> {
      replayChars -= chars;
      if (roomForReplay()) {
        replayRoom.run();
      }
    });
  }

  private void drained() {
    overflowChars = 0;
    while (!held.isEmpty() && !ws.isClosed() && !ws.writeQueueFull()) {
      String text = held.poll();
      heldChars -= text.length();
      writeNow(text, metrics.publicationsOut);
    }
    if (readingPaused && !ws.isClosed() && !ws.writeQueueFull()) {
      readingPaused = false;
      ws.resume();
    }
    if (roomForReplay()) {
      replayRoom.run();
    }
  }

  void ping() {
    if (!ws.isClosed() && !ws.writeQueueFull()) {
      lastWriteMs = System.currentTimeMillis();
      ws.writePing(Buffer.buffer());
    }
  }

  /** When a frame was last handed to the socket. */
  long lastWriteMs() {
    return lastWriteMs;
  }

  private void writeNow(String text, Counter kind) {
    lastWriteMs = System.currentTimeMillis();
    kind.increment();
    ws.writeTextMessage(text);
  }
}
