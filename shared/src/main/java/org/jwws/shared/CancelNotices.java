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
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.HandlerCall;
import org.jwws.shared.internal.Headers;
import org.jwws.shared.internal.NodeIdentity;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Requests cancelled while no handler was attached to them, as the handler JVM (Vert.x
 * instance) holding them heard of them on {@link Addresses#cancel} (or, when the gateway did not
 * know the holder, every handler JVM on {@link Addresses#CANCEL}). A notice names one request
 * ({@code jw-conn} + {@code jw-rid}) or a whole connection (no {@code jw-rid}: the client left).
 * On arrival it drops the named requests from the worker queues of this JVM's handler
 * instances (answered 499, which frees the client's slot at once). Else the request may still
 * be on its way (the notice overtook it): the notice is kept {@link #OVERTAKEN_KEEP_MS} (or
 * until the request's deadline, if sooner) and a request found here when it arrives does not
 * start. At most {@link #MAX_NOTICES} are kept (the oldest go first: a request whose notice
 * went is bounded by its client's slots all the same). A plain request pays one volatile read.
 */
public final class CancelNotices implements Shareable {

  static final int MAX_NOTICES = 10_000;
  /** How long a notice waits for a request it may have overtaken on the way. */
  static final long OVERTAKEN_KEEP_MS = 5_000;
  private static final String MAP = "jw.cancel-notices";
  /** How often notices past their time are dropped. */
  private static final long SWEEP_MS = 1_000;

  /** Request key ({@code conn/rid}) or connection address to the notice's deadline (epoch ms), oldest first. */
  private final LinkedHashMap<String, Long> deadlines = new LinkedHashMap<>();
  /** Notices kept: read without the lock on every request. */
  private volatile int size;
  private volatile Future<Void> listening;
  /** The worker instances of this JVM, whose queues a notice is checked against. */
  private final List<CommandVerticle> queues = new CopyOnWriteArrayList<>();

  private CancelNotices() {
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

  void addQueue(CommandVerticle verticle) {
    queues.add(verticle);
  }

  void removeQueue(CommandVerticle verticle) {
    queues.remove(verticle);
  }

  /** Completes once notices for this JVM are received. */
  Future<Void> listening() {
    return listening;
  }

  /** True (and the request's notice used up) when the request or its connection was cancelled. */
  boolean cancelled(HandlerCall call) {
    String connection = call.header(Headers.CONNECTION);
    if (size == 0 || connection == null) {
      return false;
    }
    synchronized (this) {
      boolean cancelled = deadlines.remove(Headers.requestId(connection, call.header(Headers.REQUEST))) != null;
      size = deadlines.size();
      return cancelled || deadlines.containsKey(connection);
    }
  }

  /** The request started or ended here: a notice that comes for it now has nothing to stop. */
  void forget(String connection, HandlerCall call) {
    if (size == 0 || connection == null) {
      return;
    }
    synchronized (this) {
      deadlines.remove(Headers.requestId(connection, call.header(Headers.REQUEST)));
      size = deadlines.size();
    }
  }

  /** Registered on a context of its own, not a verticle's: undeploying a handler must not silence it. */
  private Future<Void> listen(Vertx vertx) {
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    String nodeId = NodeIdentity.of(vertx);
    return Future.<Void>future(promise -> context.runOnContext(v -> {
      vertx.setPeriodic(SWEEP_MS, id -> sweep());
      // this JVM's own address, and the one every handler JVM hears (holder unknown)
      Future<Void> common = vertx.eventBus().<Object>consumer(Addresses.CANCEL, this::noted).completion();
      Future<Void> own = nodeId == null ? Future.succeededFuture()
        : vertx.eventBus().<Object>consumer(Addresses.cancel(nodeId), this::noted).completion();
      Future.all(common, own).<Void>mapEmpty().onComplete(promise);
    }));
  }

  private void noted(Message<Object> notice) {
    String connection = notice.headers().get(Headers.CONNECTION);
    if (connection == null) {
      return;
    }
    String requestKey = notice.headers().get(Headers.REQUEST);
    boolean dropped = false;
    for (CommandVerticle verticle : queues) {
      dropped |= verticle.dropWaiting(connection, requestKey);
    }
    if (dropped && requestKey != null) {
      return;
    }
    long keepUntil = System.currentTimeMillis() + OVERTAKEN_KEEP_MS;
    long deadline = Headers.number(notice.headers().get(Headers.DEADLINE));
    synchronized (this) {
      deadlines.put(requestKey == null ? connection : Headers.requestId(connection, requestKey),
        deadline > 0 ? Math.min(deadline, keepUntil) : keepUntil);
      Iterator<Long> oldest = deadlines.values().iterator();
      while (deadlines.size() > MAX_NOTICES) {
        oldest.next();
        oldest.remove();
      }
      size = deadlines.size();
    }
  }

  private synchronized void sweep() {
    long now = System.currentTimeMillis();
    deadlines.values().removeIf(deadline -> deadline < now);
    size = deadlines.size();
  }

  /** Cancel notices this Vert.x instance keeps now, 0 when no handler API runs in it (monitoring, tests). */
  public static int kept(Vertx vertx) {
    Object notices = vertx.sharedData().getLocalMap(MAP).get("notices");
    return notices == null ? 0 : ((CancelNotices) notices).size;
  }
}
