package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests cancelled while no handler was attached to them, as one handler JVM (Vert.x instance)
 * heard of them on {@link Addresses#CANCEL}: a request found here when its turn comes does not
 * start. A notice names one request ({@code jw-conn} + {@code jw-rid}) or a whole connection
 * (no {@code jw-rid}: the client left), and is kept until the deadline it carries, when the
 * gateway has given up on the request anyway. A plain request pays one {@code isEmpty()} here.
 */
public final class CancelNotices implements Shareable {

  private static final String MAP = "jw.cancel-notices";
  /** How often notices past their deadline are dropped. */
  private static final long SWEEP_MS = 5_000;

  /** Request key ({@code conn/rid}) or connection address to the notice's deadline (epoch ms). */
  private final Map<String, Long> deadlines = new ConcurrentHashMap<>();
  private volatile Future<Void> listening;

  private CancelNotices() {
  }

  /** Tells every handler JVM of the cluster that a request (or, {@code requestKey} null, a connection's every request) is over. */
  public static void publish(EventBus eventBus, String connection, String requestKey, long deadlineMs) {
    DeliveryOptions options = new DeliveryOptions()
      .addHeader(Headers.CONNECTION, connection)
      .addHeader(Headers.DEADLINE, Long.toString(deadlineMs));
    if (requestKey != null) {
      options.addHeader(Headers.REQUEST, requestKey);
    }
    eventBus.publish(Addresses.CANCEL, null, options);
  }

  /** The notices of this Vert.x instance; the first call registers their consumer. */
  static synchronized CancelNotices of(Vertx vertx) {
    LocalMap<String, CancelNotices> map = vertx.sharedData().getLocalMap(MAP);
    CancelNotices notices = map.computeIfAbsent("notices", name -> new CancelNotices());
    if (notices.listening == null) {
      notices.listening = notices.listen(vertx);
    }
    return notices;
  }

  /** Completes once notices from every node are received. */
  Future<Void> listening() {
    return listening;
  }

  /** True (and the request's notice used up) when the request or its connection was cancelled. */
  boolean cancelled(String connection, String requestKey) {
    if (deadlines.isEmpty() || connection == null) {
      return false;
    }
    return deadlines.remove(Conversations.key(connection, requestKey)) != null || deadlines.containsKey(connection);
  }

  /** Registered on a context of its own, not a verticle's: undeploying a handler must not silence it. */
  private Future<Void> listen(Vertx vertx) {
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    return Future.<Void>future(promise -> context.runOnContext(v -> {
      vertx.setPeriodic(SWEEP_MS, id -> sweep());
      vertx.eventBus().<Object>consumer(Addresses.CANCEL, this::noted).completion().onComplete(promise);
    }));
  }

  private void noted(Message<Object> notice) {
    String connection = notice.headers().get(Headers.CONNECTION);
    if (connection == null) {
      return;
    }
    String requestKey = notice.headers().get(Headers.REQUEST);
    long deadline = Invocation.parseLong(notice.headers().get(Headers.DEADLINE));
    deadlines.put(requestKey == null ? connection : Conversations.key(connection, requestKey),
      deadline > 0 ? deadline : System.currentTimeMillis() + SWEEP_MS);
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    deadlines.values().removeIf(deadline -> deadline < now);
  }
}
