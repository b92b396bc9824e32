package org.jwws.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/**
 * The node-wide parts a connection works with, made once by {@link GatewayNode} and handed to
 * each connection, which hands each of its own parts what that part uses. None of them knows a
 * connection: they serve it as a {@link Recipient}. {@code soleServers} is null when the
 * options turn direct calls off.
 */
record NodeParts(Vertx vertx, GatewayOptions options, GatewayMetrics metrics, EnvelopeReader envelopeReader,
                 TopicRegistry topics, TopicHistory history, Presence presence, V2Queries queries, MemberLosses memberLosses,
                 SoleServers soleServers) {

  EventBus eventBus() {
    return vertx.eventBus();
  }
}
