package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's open connections: admission against {@code maxConnections}, the broadcast
 * audience (every open connection), and the rounds the node walks them in: broadcasts,
 * liveness, a cluster member that left, the drain of a stopping node.
 */
final class Connections {

  private final Vertx vertx;
  private final GatewayOptions options;
  private final Audience<Connection> everyone;
  /** Upgrades admitted and not yet closed: checked against maxConnections before upgrading. */
  private final AtomicInteger admitted = new AtomicInteger();
  private volatile boolean stopping;
  private final Promise<Void> allClosed = Promise.promise();

  /** @param pushesOut what a broadcast counts as */
  Connections(Vertx vertx, GatewayOptions options, Counter pushesOut) {
    this.vertx = vertx;
    this.options = options;
    this.everyone = new Audience<>(pushesOut);
  }

  /** Takes a connection slot, false when the node is full. */
  boolean admit() {
    if (admitted.incrementAndGet() > options.getMaxConnections()) {
      admitted.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back the slot of a connection that closed or whose upgrade failed. */
  void release() {
    admitted.decrementAndGet();
  }

  /** True once the node began to stop: connections drain instead of closing at once. */
  boolean stopping() {
    return stopping;
  }

  /** A connection was started: it is in the broadcast audience and the node's rounds until it closed. */
  void opened(Connection connection) {
    everyone.add(connection);
    if (stopping) {
      // upgraded while the node began to stop: the drain round may have missed it
      connection.drain();
    }
  }

  /** A connection closed: its slot is free. */
  void closed(Connection connection) {
    release();
    everyone.remove(connection);
    checkAllClosed();
  }

  /** Open connections: the broadcast audience is every one of them. */
  int size() {
    return everyone.size();
  }

  /** Writes an encoded push to every open connection. */
  void broadcast(String text) {
    everyone.deliver(text, false);
  }

  /**
   * A cluster member left (or died): every connection ends the requests it held with 503 now,
   * and watches the others for a receipt (see {@link MemberLosses}).
   */
  void memberLeft(String nodeId) {
    everyone.forEachOnLoop(connection -> connection.memberLeft(nodeId));
  }

  /** One liveness round: pings the quiet connections, closes the silent ones. */
  void checkAlive() {
    long now = System.currentTimeMillis();
    everyone.forEachOnLoop(connection -> connection.checkAlive(now, options.getPingIntervalMs(), options.getPongTimeoutMs()));
  }

  /**
   * Stops the node's connections gracefully: upgrades are refused (503), every connection
   * finishes its open requests and closes with 1001; after the grace period the rest are
   * closed. Completes when no connection is left or the grace period is over.
   */
  Future<Void> drain() {
    stopping = true;
    everyone.forEachOnLoop(Connection::drain);
    long timer = vertx.setTimer(options.getShutdownGraceMs(), id -> {
      everyone.forEachOnLoop(connection -> connection.close(CloseCodes.GOING_AWAY, "going away"));
      allClosed.tryComplete();
    });
    checkAllClosed();
    return allClosed.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void checkAllClosed() {
    if (stopping && everyone.isEmpty()) {
      allClosed.tryComplete();
    }
  }
}
