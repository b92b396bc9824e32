package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Headers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Commands that exercise the handler API, each answering in one of the ways a handler may. A
 * handler's last act may be a {@link GatewaySide#KIND_MARK} to its connection: what the
 * connection received before it is everything the handler sent there.
 */
final class ExampleCommands extends CommandVerticle {

  static final String SRC = "examples";

  private final Map<Object, Promise<EndReason>> firstEnds = new ConcurrentHashMap<>();
  private final Map<Object, AtomicInteger> endCalls = new ConcurrentHashMap<>();

  @Override
  protected String src() {
    return SRC;
  }

  @Override
  protected void registerCommands() {
    command("twice", req -> {
      req.ok(1);
      req.ok(2);
      req.fail(500, "late");
      req.progress("late");
      mark(req);
    });
    command("steps", req -> {
      JsonObject step = new JsonObject().put("step", 1);
      req.progress(step);
      // the answer given is the one the client gets: changing the object afterwards changes nothing
      step.put("step", 2);
      req.progress(Status.OK, "halfway", step);
      req.ok(3);
      req.progress("late");
      mark(req);
    });
    command("count", req -> req.ok(req.integer("count")));
    command("greet", req -> req.ok(req.string(0) + " " + req.string("name", "world")));
    command("cast", req -> req.ok(req.kwargs().getInteger("count")));
    command("talk", req -> {
      int[] sum = {0};
      req.roundHandler(round -> {
        if (round.bool("done", false)) {
          req.ok(sum[0]);
        } else {
          int n = round.integer("n");
          sum[0] += n;
          req.progress(n);
        }
      });
      req.endHandler(reason -> ended(req.id(), reason));
    });
  }

  /** The first end reason the end handler of request {@code id} was called with. */
  Future<EndReason> firstEnd(Object id) {
    return firstEnds.computeIfAbsent(id, key -> Promise.promise()).future();
  }

  /** How often the end handler of request {@code id} was called. */
  int endCalls(Object id) {
    AtomicInteger calls = endCalls.get(id);
    return calls == null ? 0 : calls.get();
  }

  private void ended(Object id, EndReason reason) {
    endCalls.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
    firstEnds.computeIfAbsent(id, key -> Promise.promise()).tryComplete(reason);
  }

  private static void mark(CommandRequest req) {
    req.vertx().eventBus().send(req.connection(), new JsonObject().put("open", req.isOpen()),
      new DeliveryOptions().addHeader(Headers.KIND, GatewaySide.KIND_MARK));
  }
}
