package org.jwws.shared.internal;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

/**
 * The cancel notice a gateway sends when a request ends before its handler took it: the handler
 * side ({@code CancelNotices} of the handler API) drops it from its queue instead of starting it.
 */
public final class CancelNotice {

  private CancelNotice() {
  }

  /**
   * Tells the handler JVM with cluster node id {@code nodeId} that a request (or, {@code
   * requestKey} null, a connection's every request) is over; with {@code nodeId} null (holder
   * unknown, or standalone) every handler JVM.
   */
  public static void send(EventBus eventBus, String nodeId, String connection, String requestKey, long deadlineMs) {
    DeliveryOptions options = new DeliveryOptions()
      .addHeader(Headers.CONNECTION, connection)
      .addHeader(Headers.DEADLINE, Long.toString(deadlineMs));
    if (requestKey != null) {
      options.addHeader(Headers.REQUEST, requestKey);
    }
    if (nodeId == null) {
      eventBus.publish(Addresses.CANCEL, null, options);
    } else {
      eventBus.send(Addresses.cancel(nodeId), null, options);
    }
  }
}
