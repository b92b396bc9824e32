package org.jwws.gateway;

import io.vertx.core.Vertx;
import org.jwws.shared.internal.HeldRequests;
import org.jwws.shared.internal.NodeIdentity;

/**
 * What a clustered gateway node tells handlers about itself on each request, and the watch it
 * keeps after a cluster member left. Requests carry the gateway's node id: a handler on another
 * node sends a receipt, one on this node notes the request in {@link HeldRequests} instead (no
 * message). When a member left, a request with neither after {@link #RECEIPT_GRACE_MS} was
 * received by no live handler: it is taken as lost with the member. For {@link #WINDOW_MS} after
 * (Vert.x may still route requests to the dead member until the cluster drops its
 * registrations) every new request gets that check too.
 */
final class MemberLosses {

  static final long WINDOW_MS = 10_000;
  static final long RECEIPT_GRACE_MS = 1_000;

  private final Vertx vertx;
  /** This node's cluster id, null when standalone (no header, no receipts). */
  private final String nodeId;
  /** The requests this node's handlers received, null when standalone. */
  private final HeldRequests heldHere;
  private volatile boolean watching;
  private long windowTimer = -1;

  MemberLosses(Vertx vertx) {
    this.vertx = vertx;
    this.nodeId = NodeIdentity.of(vertx);
    this.heldHere = nodeId == null ? null : HeldRequests.of(vertx);
  }

  /** The {@code jw-gw} header of a request, or null for none. */
  String gatewayHeader() {
    return nodeId;
  }

  /** True while requests get a receipt deadline. */
  boolean watching() {
    return watching;
  }

  /** True when a handler of this node received the request (so it was not lost with a member). */
  boolean heldHere(String connection, long requestKey) {
    return heldHere != null && heldHere.holds(connection, requestKey);
  }

  /** The request's slot is free: this node's handler, if it had it, is done with it. */
  void released(String connection, long requestKey) {
    if (heldHere != null) {
      heldHere.released(connection, requestKey);
    }
  }

  synchronized void memberLeft() {
    watching = true;
    if (windowTimer >= 0) {
      vertx.cancelTimer(windowTimer);
    }
    windowTimer = vertx.setTimer(WINDOW_MS, id -> watching = false);
  }
}
