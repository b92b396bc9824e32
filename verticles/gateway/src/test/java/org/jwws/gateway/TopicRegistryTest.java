package org.jwws.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jwws.shared.internal.Addresses;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * The node's topic subscriptions without a WebSocket: recipients join and leave topics, one
 * event-bus consumer per topic serves them, and it lingers after the last one left.
 */
@ExtendWith(VertxExtension.class)
class TopicRegistryTest {

  private GatewayMetrics metrics;

  private TopicRegistry registry(Vertx vertx, long lingerMs) {
    metrics = new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 100);
    TopicHistory history = new TopicHistory(vertx, new MemoryHistoryStore(), List.of());
    return new TopicRegistry(vertx, metrics, List.of(), lingerMs, new TopicFeeds(vertx, history, List.of()));
  }

  @Test
  void aPublicationReachesTheTopicsSubscribersOnly(Vertx vertx) {
    TopicRegistry topics = registry(vertx, 0);
    FakeRecipient first = await(FakeRecipient.create(vertx));
    FakeRecipient second = await(FakeRecipient.create(vertx));
    FakeRecipient other = await(FakeRecipient.create(vertx));
    await(topics.subscribe("news", first).registered());
    await(topics.subscribe("news", second).registered());
    await(topics.subscribe("sport", other).registered());
    assertEquals(2, topics.size(), "one consumer per topic");

    vertx.eventBus().publish(Addresses.topic("news"), new JsonObject().put("headline", "hi"));
    JsonObject frame = new JsonObject(await(receivedOne(first)));
    assertEquals("hi", frame.getString("headline"));
    assertEquals("news", frame.getString("topic"), "the pub fields are added");
    assertEquals(frame, new JsonObject(await(receivedOne(second))));
    assertFalse(await(first.wrongThread()));
    assertEquals(List.of(), await(other.received()));
    assertEquals(Map.of("news", 2, "sport", 1), topics.subscribers(10));
  }

  @Test
  void theLastToLeaveClosesTheConsumerAndNothingFollowsTheLeaving(Vertx vertx) {
    TopicRegistry topics = registry(vertx, 0);
    FakeRecipient staying = await(FakeRecipient.create(vertx));
    FakeRecipient leaving = await(FakeRecipient.on(staying.context()));
    TopicSubscription stayer = topics.subscribe("news", staying);
    await(stayer.registered());
    TopicSubscription left = topics.subscribe("news", leaving);
    await(left.registered());
    await(onLoop(leaving, () -> topics.unsubscribe(left)));
    assertFalse(left.present(), "a subscription that left is not present");
    assertTrue(topics.isCurrent(stayer));

    vertx.eventBus().publish(Addresses.topic("news"), new JsonObject());
    await(receivedOne(staying));
    assertEquals(List.of(), await(leaving.received()));

    TopicSubscription last = topics.subscribe("news", leaving);
    await(onLoop(leaving, () -> topics.unsubscribe(last)));
    assertTrue(topics.hasConsumer("news"));
    await(onLoop(staying, () -> topics.unsubscribe(stayer)));
    assertFalse(topics.hasConsumer("news"), "no linger: unregistered with the last subscriber");
    assertFalse(topics.isCurrent(stayer));
    assertEquals(2.0, metrics.topicRegistryWrites.count(), "registered once, unregistered once");
  }

  @Test
  void aLingeringTopicIsJoinedAgainWithoutARegistryWrite(Vertx vertx) {
    TopicRegistry topics = registry(vertx, 60_000);
    FakeRecipient recipient = await(FakeRecipient.create(vertx));
    TopicSubscription first = topics.subscribe("flap", recipient);
    await(first.registered());
    await(onLoop(recipient, () -> topics.unsubscribe(first)));
    assertTrue(topics.hasConsumer("flap"), "lingers");
    assertEquals(Map.of(), topics.subscribers(10), "a lingering topic has no subscriber to report");

    TopicSubscription again = topics.subscribe("flap", recipient);
    await(again.registered());
    assertSame(first.audience(), again.audience(), "the same registration");
    assertTrue(topics.isCurrent(again));
    assertTrue(topics.isCurrent(first), "the registration it joined is still the topic's");
    assertEquals(1.0, metrics.topicRegistryWrites.count(), "registered once for both");
    vertx.eventBus().publish(Addresses.topic("flap"), new JsonObject());
    await(receivedOne(recipient));
  }

  @Test
  void subscribersAreReportedTheMostSubscribedFirstUpToTheLimit(Vertx vertx) {
    TopicRegistry topics = registry(vertx, 0);
    FakeRecipient recipient = await(FakeRecipient.create(vertx));
    for (int i = 1; i <= 5; i++) {
      for (int j = 0; j < i; j++) {
        topics.subscribe("t" + i, recipient);
      }
    }
    assertEquals(List.of("t5", "t4", "t3"), List.copyOf(topics.subscribers(3).keySet()));
    assertEquals(5, topics.subscribers(3).get("t5"));
  }

  /** Waits until one frame reached the recipient; answers it. */
  private static io.vertx.core.Future<String> receivedOne(FakeRecipient recipient) {
    Promise<String> got = Promise.promise();
    long deadline = System.currentTimeMillis() + 5_000;
    poll(recipient, got, deadline);
    return got.future();
  }

  private static void poll(FakeRecipient recipient, Promise<String> got, long deadline) {
    recipient.received().onSuccess(texts -> {
      if (texts.size() == 1) {
        got.complete(texts.get(0));
      } else if (texts.size() > 1) {
        got.fail("more than one frame: " + texts);
      } else if (System.currentTimeMillis() > deadline) {
        got.fail("nothing arrived");
      } else {
        recipient.context().owner().setTimer(5, id -> poll(recipient, got, deadline));
      }
    });
  }

  private static io.vertx.core.Future<Void> onLoop(FakeRecipient recipient, Runnable action) {
    Promise<Void> done = Promise.promise();
    recipient.context().runOnContext(v -> {
      action.run();
      done.complete();
    });
    return done.future();
  }
}
