package org.jwws.gateway;

import io.vertx.core.Vertx;
import org.jwws.shared.NodeIdentity;

/**
 * What a clustered gateway node tells handlers about itself on each request, and the watch it
 * keeps after a cluster member left. Normally requests carry the gateway's node id, and only a
 * handler on another node sends a receipt. For {@link #WINDOW_MS} after a member left (Vert.x
 * may still route requests to the dead member until the cluster drops its registrations) the id
 * is empty: every handler API instance sends one, and a request with no receipt within
 * {@link #RECEIPT_GRACE_MS} is taken as lost with the member.
 */
final class MemberLosses {

  static final long WINDOW_MS = 10_000;
  static final long RECEIPT_GRACE_MS = 1_000;

  private final Vertx vertx;
  /** This node's cluster id, null when standalone (no header, no receipts). */
  private final String nodeId;
  private volatile boolean watching;
  private long windowTimer = -1;

  MemberLosses(Vertx vertx) {
    this.vertx = vertx;
    this.nodeId = NodeIdentity.of(vertx);
  }

  /** The {@code jw-gw} header of a request now, or null for none. */
  String gatewayHeader() {
    return nodeId == null ? null : watching ? "" : nodeId;
  }

  /** True while requests get a receipt deadline. */
  boolean watching() {
    return watching;
  }

  synchronized void memberLeft() {
    watching = true;
    if (windowTimer >= 0) {
      vertx.cancelTimer(windowTimer);
    }
    windowTimer = vertx.setTimer(WINDOW_MS, id -> watching = false);
  }
}
