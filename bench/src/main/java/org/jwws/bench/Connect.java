package org.jwws.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;

import java.util.List;

/**
 * N idle connections: how long opening them takes, each handshake's latency, and what each
 * costs the server in resident memory.
 */
final class Connect {

  private Connect() {
  }

  static Measure run(Vertx vertx, int connections, ServerProcess server) throws Exception {
    long rssBefore = server.rssBytes();
    Clients clients = new Clients(vertx, server.port(), connections);
    long start = System.nanoTime();
    List<WebSocket> sockets = Fanout.await(clients.open(connections));
    double openSeconds = (System.nanoTime() - start) / 1e9;
    // let the server settle (buffers released after the handshakes) before reading its memory
    Thread.sleep(3_000);
    long rssAfter = server.rssBytes();
    Measure measure = new Measure()
      .put("connections", sockets.size())
      .put("open_s", openSeconds)
      .latencies("handshake", clients.handshakeMicros)
      .put("server_rss_mb", rssAfter / 1024.0 / 1024.0)
      .put("rss_kb_per_connection", (rssAfter - rssBefore) / 1024.0 / connections);
    Fanout.await(clients.close());
    return measure;
  }
}
