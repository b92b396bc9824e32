package org.jwws.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.Comparator;
import java.util.function.Supplier;

/**
 * Every node's report, for the console: each node puts its own into the cluster-wide map
 * {@value #MAP} every {@value #PERIOD_MS} ms with a time to live of three periods, so a node
 * that dies drops out of the console within {@value #TTL_MS} ms; one that stops removes it at once.
 */
final class NodeReports {

  static final String MAP = "jw.nodes";
  static final long PERIOD_MS = 2_000;
  static final long TTL_MS = 3 * PERIOD_MS;

  private final Vertx vertx;
  private final String nodeId;
  private final Supplier<JsonObject> report;
  private AsyncMap<String, JsonObject> map;
  private long timer = -1;
  private Future<Void> lastPut = Future.succeededFuture();
  private volatile boolean stopped;

  NodeReports(Vertx vertx, String nodeId, Supplier<JsonObject> report) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.report = report;
  }

  Future<Void> start() {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(MAP)
      .compose(found -> {
        map = found;
        return publish();
      })
      .onSuccess(v -> timer = vertx.setPeriodic(PERIOD_MS, id -> publish()));
  }

  /** Every node's latest report, this node's fresh, sorted by node id. */
  Future<JsonArray> all() {
    return map.entries().map(entries -> {
      JsonArray all = new JsonArray();
      entries.forEach((id, report) -> {
        if (!id.equals(nodeId)) {
          all.add(report);
        }
      });
      all.add(report.get());
      all.getList().sort(Comparator.comparing(node -> String.valueOf(((JsonObject) node).getString("id"))));
      return all;
    });
  }

  /** Removes this node's report once a put still in flight landed, so it cannot come back. */
  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return map == null ? Future.succeededFuture() : lastPut.eventually(() -> map.remove(nodeId)).mapEmpty();
  }

  private Future<Void> publish() {
    if (stopped) {
      return Future.succeededFuture();
    }
    lastPut = map.put(nodeId, report.get(), TTL_MS);
    return lastPut;
  }
}
