package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.EndReason;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.CancelNotice;
import org.jwws.shared.internal.Headers;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What one connection's requests send to their handlers: the request to {@code cmd.<command>},
 * rounds and end notices to an attached handler's control address, cancel notices to the JVM
 * holding a request whose handler has not attached.
 */
final class ToHandlers {

  private final EventBus eventBus;
  /** The connection's address, which the handler knows the request by. */
  private final String address;

  ToHandlers(EventBus eventBus, String address) {
    this.eventBus = eventBus;
    this.address = address;
  }

  /**
   * Sends the request; the reply is the handler's final answer (or its failure).
   *
   * @param principal the principal header, null when anonymous
   * @param gatewayNode this node's id when clustered, else null
   */
  Future<Message<Object>> request(OpenRequest open, JsonObject body, String principal, String gatewayNode) {
    // the default codec: a plain consumer in a JVM without the handler API must decode it
    DeliveryOptions delivery = new DeliveryOptions()
      .setSendTimeout(open.timeoutMs)
      .addHeader(Headers.CONNECTION, address)
      .addHeader(Headers.REQUEST, Long.toString(open.key))
      .addHeader(Headers.TIMEOUT, Long.toString(open.timeoutMs))
      .addHeader(Headers.DEADLINE, Long.toString(open.deadlineMs));
    if (principal != null) {
      delivery.addHeader(Headers.PRINCIPAL, principal);
    }
    if (gatewayNode != null) {
      delivery.addHeader(Headers.GATEWAY_NODE, gatewayNode);
    }
    return eventBus.request(Addresses.command(open.command), body, delivery);
  }

  /** A further round of an attached request. */
  void round(OpenRequest open, JsonObject frame) {
    eventBus.send(open.control, RequestFrames.withDefaults(frame), controlHeaders(open, Headers.KIND_ROUND));
  }

  /** Tells an attached handler its request ended (nothing for one that has not attached). */
  void end(OpenRequest open, EndReason reason) {
    if (open.control != null) {
      eventBus.send(open.control, null, controlHeaders(open, Headers.KIND_END).addHeader(Headers.END_REASON, reason.name()));
    }
  }

  /** Tells the handler to stop: by its control address when attached, else by a cancel notice to the JVM holding it. */
  void stop(OpenRequest open, EndReason reason) {
    if (open.control != null) {
      end(open, reason);
    } else if (open.deadlineMs > 0) {
      CancelNotice.send(eventBus, holder(open), address, Long.toString(open.key), open.deadlineMs);
    }
  }

  /**
   * The connection is gone: attached handlers get an end notice each; every node holding
   * unattached requests one cancel notice, so its waiting ones of this connection do not start.
   */
  void connectionGone(Collection<OpenRequest> requests) {
    Map<String, Long> lastDeadlineByNode = new HashMap<>();
    for (OpenRequest open : requests) {
      if (open.control != null) {
        end(open, EndReason.CLIENT_GONE);
      } else if (open.deadlineMs > 0) {
        lastDeadlineByNode.merge(holder(open), open.deadlineMs, Math::max);
      }
    }
    lastDeadlineByNode.forEach((node, deadline) -> CancelNotice.send(eventBus, node, address, null, deadline));
  }

  /**
   * The node whose handler JVM holds the request, from its receipt; null when unknown (served on
   * this node, or its receipt is still on its way: a handler's first send to a connection needs
   * a cluster lookup), then every handler JVM is told.
   */
  private static String holder(OpenRequest open) {
    return open.node;
  }

  private DeliveryOptions controlHeaders(OpenRequest open, String kind) {
    return new DeliveryOptions()
      .addHeader(Headers.KIND, kind)
      .addHeader(Headers.CONNECTION, address)
      .addHeader(Headers.REQUEST, Long.toString(open.key));
  }
}
