package org.jwws.shared.internal;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * The consumer side of {@link org.jwws.shared.PublishWindows}: every consumer of {@code topic.<name>} (the
 * gateway's, {@link org.jwws.shared.Backend#subscribe}'s, the bridge's) answers a flow marker once it handled
 * what arrived before it, so that the publisher may send more. A consumer that never answers
 * holds its publishers at their window.
 */
public final class FlowMarkers {

  private FlowMarkers() {
  }

  /** A flow marker rather than a publication: no body, {@link Headers#KIND_MARKER}. One reference check for a publication. */
  public static boolean isMarker(Message<?> message) {
    return message.body() == null && Headers.KIND_MARKER.equals(message.headers().get(Headers.KIND));
  }

  /**
   * Credits the marker's publisher with the count it carries. Nothing for a marker of this
   * process: publications to its own consumers need no credit.
   */
  public static void credit(Vertx vertx, String topic, Message<?> marker) {
    String publisher = marker.headers().get(Headers.FLOW_NODE);
    String self = NodeIdentity.of(vertx);
    if (publisher == null || self == null || publisher.equals(self)) {
      return;
    }
    vertx.eventBus().send(Addresses.credit(publisher), null, new DeliveryOptions()
      .addHeader(Headers.TOPIC, topic)
      .addHeader(Headers.FLOW_COUNT, marker.headers().get(Headers.FLOW_COUNT))
      .addHeader(Headers.FLOW_FROM, self));
  }
}
