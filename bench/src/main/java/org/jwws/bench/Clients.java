package org.jwws.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens many WebSocket connections to one target, a bounded number at a time, and records
 * each handshake's latency.
 */
final class Clients {

  private static final int CONNECTING_AT_ONCE = 200;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final int port;
  final Histogram handshakeMicros = Measure.latencyHistogram();

  Clients(Vertx vertx, int port, int expected) {
    this.vertx = vertx;
    this.port = port;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxConnections(expected + 16)
      .setConnectTimeout(30_000));
  }

  /** Opens {@code count} connections; fails if any fails. */
  Future<List<WebSocket>> open(int count) {
    List<WebSocket> opened = Collections.synchronizedList(new ArrayList<>(count));
    Promise<List<WebSocket>> done = Promise.promise();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (started.get() >= count) {
        return;
      }
      started.incrementAndGet();
      long start = System.nanoTime();
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
            return;
          }
          synchronized (handshakeMicros) {
            Measure.recordMicros(handshakeMicros, start, System.nanoTime());
          }
          opened.add(ar.result());
          if (finished.incrementAndGet() == count) {
            done.tryComplete(new ArrayList<>(opened));
          } else {
            next[0].run();
          }
        });
    };
    vertx.runOnContext(v -> {
      for (int i = 0; i < Math.min(CONNECTING_AT_ONCE, count); i++) {
        next[0].run();
      }
    });
    return done.future();
  }

  Future<Void> close() {
    return client.close();
  }
}
