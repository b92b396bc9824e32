package org.jwws.gateway;

import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * How one connection's requests end when a cluster member left (PROTOCOL.md "Handler loss"):
 * those it held at once, those with no receipt after {@link MemberLosses#RECEIPT_GRACE_MS}
 * unless this node's handlers hold them. Touched only from the connection's event loop.
 */
final class RequestLosses {

  private final Vertx vertx;
  private final MemberLosses losses;
  /** The connection's address, which this node's handlers note the requests they hold by. */
  private final String address;
  private final Recipient connection;
  /** Ends a request taken as lost with a member, with the reason for the client. */
  private final BiConsumer<OpenRequest, String> lost;

  RequestLosses(Vertx vertx, MemberLosses losses, String address, Recipient connection, BiConsumer<OpenRequest, String> lost) {
    this.vertx = vertx;
    this.losses = losses;
    this.address = address;
    this.connection = connection;
    this.lost = lost;
  }

  /** A request is being sent: its {@code jw-gw} header (null for none); while the node watches, it must get a receipt. */
  String sending(OpenRequest open) {
    String gatewayNode = losses.gatewayHeader();
    if (gatewayNode != null && losses.watching()) {
      expectReceipt(open);
    }
    return gatewayNode;
  }

  /** A handler instance of this JVM took the request directly: it is lost with no other member. */
  void servedHere(OpenRequest open) {
    open.node = losses.gatewayHeader();
  }

  /**
   * A cluster member left: requests it holds end with 503 now; those sent with no receipt get
   * {@link MemberLosses#RECEIPT_GRACE_MS} for one (or to be found held by this node's handlers).
   */
  void memberLeft(String nodeId, Collection<OpenRequest> requests) {
    for (OpenRequest open : new ArrayList<>(requests)) {
      if (nodeId.equals(open.node)) {
        lost.accept(open, "handler node " + nodeId + " left the cluster");
      } else if (open.node == null && open.deadlineMs > 0) {
        // (one not sent yet is checked when it is: the node is watching then)
        expectReceipt(open);
      }
    }
  }

  /** The request's slot is free: this node's handler, if it had it, is done with it. */
  void released(OpenRequest open) {
    // only requests with no receipt (and not served here directly) can be noted as held here
    if (open.deadlineMs > 0 && open.node == null) {
      losses.released(address, open.key);
    }
  }

  /** Checks, after the grace period, that a live handler took the request; else it is taken as lost with a member. */
  private void expectReceipt(OpenRequest open) {
    vertx.setTimer(MemberLosses.RECEIPT_GRACE_MS, id -> connection.onContext(() -> {
      // no receipt and not held here: no live handler received it (a plain consumer may have, see PROTOCOL.md)
      if (!open.done && open.node == null && !losses.heldHere(address, open.key)) {
        lost.accept(open, "no handler took the request within " + MemberLosses.RECEIPT_GRACE_MS + " ms while a cluster member left");
      }
    }));
  }
}
