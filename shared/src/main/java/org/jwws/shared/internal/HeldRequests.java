package org.jwws.shared.internal;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests of this Vert.x instance's clustered gateway that a {@link org.jwws.shared.CommandVerticle} of
 * this same instance received: a request the gateway has no receipt for and that is not here
 * was received by no live handler (one on another node would have sent a receipt), so when a
 * member leaves it was lost with it. This replaces a receipt on the local path: no event-bus
 * message, one map entry.
 * <p>
 * The handler adds a request the moment its consumer gets it (before anything else it does);
 * the gateway removes it when its slot is freed, on its own event loop, after it has seen the
 * handler's reply. (The handler must not remove it: its reply may still be on the way when the
 * gateway checks.) A request the gateway freed before the handler got it (its client left while
 * it travelled) is swept at its deadline. Standalone, nothing is kept.
 */
public final class HeldRequests implements Shareable {

  private static final String MAP = "jw.held-requests";
  /** How often entries past their deadline (left behind by a gateway that gave up first) are dropped. */
  private static final long SWEEP_MS = 10_000;

  /** {@code conn/rid} to the request's deadline (epoch ms). */
  private final Map<String, Long> held = new ConcurrentHashMap<>();

  private HeldRequests() {
  }

  /** The requests of this Vert.x instance; the first call starts their sweep. */
  public static synchronized HeldRequests of(Vertx vertx) {
    LocalMap<String, HeldRequests> map = vertx.sharedData().getLocalMap(MAP);
    HeldRequests requests = map.get(MAP);
    if (requests == null) {
      requests = new HeldRequests();
      map.put(MAP, requests);
      vertx.setPeriodic(SWEEP_MS, requests::sweep);
    }
    return requests;
  }

  /** A handler of this instance got {@code call} from this node's gateway. */
  public void received(HandlerCall call) {
    String connection = call.header(Headers.CONNECTION);
    String requestKey = call.header(Headers.REQUEST);
    if (connection != null && requestKey != null) {
      long deadline = call.deadlineMs();
      held.put(Headers.requestId(connection, requestKey), deadline > 0 ? deadline : Long.MAX_VALUE);
    }
  }

  /** True when a handler of this instance received the request. */
  public boolean holds(String connection, long requestKey) {
    return held.containsKey(Headers.requestId(connection, Long.toString(requestKey)));
  }

  /** The gateway freed the request's slot: its handler (if here) is done with it. */
  public void released(String connection, long requestKey) {
    if (!held.isEmpty()) {
      held.remove(Headers.requestId(connection, Long.toString(requestKey)));
    }
  }

  /** Requests kept now (monitoring, tests). */
  public int size() {
    return held.size();
  }

  private void sweep(long timerId) {
    long now = System.currentTimeMillis();
    held.values().removeIf(deadline -> deadline < now);
  }
}
