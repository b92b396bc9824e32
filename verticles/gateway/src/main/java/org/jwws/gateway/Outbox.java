package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayDeque;

/**
 * The outbound side of one connection: writes frames and bounds what waits for a client that
 * reads slowly or not at all. Touched only from the connection's event loop.
 * <ul>
 *   <li>Frames the client caused (responses, acks) and pushes are always written; while the
 *   write queue is full the client's own frames are not read, so it cannot make more.</li>
 *   <li>A publication that finds the queue full closes the client (1013 "slow consumer"),
 *   unless its topic is a drop-oldest one: then it waits in a queue of the same byte bound
 *   that drops its oldest entries.</li>
 * </ul>
 */
final class Outbox {

  private final ServerWebSocket ws;
  private final int maxBytes;
  private final GatewayMetrics metrics;
  private final Runnable slowConsumer;
  private final ArrayDeque<String> held = new ArrayDeque<>();
  private long heldChars;
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

  /** A response, ack or push, counted by {@code kind}. */
  void write(String text, Counter kind) {
    if (ws.isClosed()) {
      return;
    }
    writeNow(text, kind);
    if (!readingPaused && ws.writeQueueFull()) {
      readingPaused = true;
      ws.pause();
    }
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
      metrics.slowConsumerCloses.increment();
      slowConsumer.run();
      return;
    }
    held.add(text);
    heldChars += text.length();
    while (heldChars > maxBytes && held.size() > 1) {
      heldChars -= held.poll().length();
      metrics.publicationsDropped.increment();
    }
  }

  private void drained() {
    while (!held.isEmpty() && !ws.isClosed() && !ws.writeQueueFull()) {
      String text = held.poll();
      heldChars -= text.length();
      writeNow(text, metrics.publicationsOut);
    }
    if (readingPaused && !ws.isClosed() && !ws.writeQueueFull()) {
      readingPaused = false;
      ws.resume();
    }
  }

  void ping() {
    if (!ws.isClosed()) {
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
