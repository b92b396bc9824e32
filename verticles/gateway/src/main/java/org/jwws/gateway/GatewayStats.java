package org.jwws.gateway;

import io.vertx.core.json.JsonObject;

/**
 * A snapshot of a gateway node's state, for tests, health and the console.
 *
 * @param connections open WebSocket connections
 * @param topicConsumers topics this node holds an event-bus consumer for
 * @param subscriptions subscriptions summed over connections
 * @param openRequests open requests summed over connections
 * @param publicationsReceived publications that reached this node (once each, not per subscriber)
 * @param publicationsDelivered publications written to this node's subscribers (once per subscriber)
 * @param framesIn frames read from clients
 * @param framesOut frames written to clients
 * @param slowConsumerCloses connections closed with 1013 for not reading their publications
 * @param publicationsDropped publications of drop-oldest topics dropped for slow consumers
 * @param publicationsDiscarded publications the event bus discarded at this node's topic consumers
 * @param topicRegistryWrites topic consumers registered and unregistered (cluster-wide writes when clustered)
 */
public record GatewayStats(int connections, int topicConsumers, int subscriptions, int openRequests,
                           long publicationsReceived, long publicationsDelivered, long framesIn, long framesOut,
                           long slowConsumerCloses, long publicationsDropped,
                           long publicationsDiscarded, long topicRegistryWrites) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("connections", connections)
      .put("topicConsumers", topicConsumers)
      .put("subscriptions", subscriptions)
      .put("openRequests", openRequests)
      .put("publicationsReceived", publicationsReceived)
      .put("publicationsDelivered", publicationsDelivered)
      .put("framesIn", framesIn)
      .put("framesOut", framesOut)
      .put("slowConsumerCloses", slowConsumerCloses)
      .put("publicationsDropped", publicationsDropped)
      .put("publicationsDiscarded", publicationsDiscarded)
      .put("topicRegistryWrites", topicRegistryWrites);
  }
}
