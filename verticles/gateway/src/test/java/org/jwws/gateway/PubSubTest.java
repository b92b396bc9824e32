package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import org.jwws.handlers.UserTopicCallback;
import org.jwws.shared.Backend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.pub;

class PubSubTest extends GatewayTestBase {

  private static final String SEED_PUB = "{\"mode\":\"pub_sub\",\"action\":\"pub\",\"src\":\"agent\",\"topic\":\"user\",\"code\":200,"
    + "\"msg\":\"添加了一个用户\",\"data\":[{\"name\":\"jw\",\"age\":110}]}";

  @Test
  void seedSubscribeAndPublishFramesWorkUnchanged() {
    TestClient front = client();
    TestClient agent = client();
    front.sendText("{\"mode\":\"pub_sub\",\"action\":\"sub\",\"src\":\"front\",\"topic\":[\"user\",\"order\"]}");
    JsonObject ack = await(front.next());
    assertEquals(new JsonObject().put("mode", "pub_sub").put("action", "ack").put("code", 200).put("msg", "success")
      .put("topic", new JsonArray().add("user").add("order")), ack);
    agent.sendText(SEED_PUB);
    assertEquals(new JsonObject(SEED_PUB), await(front.next()), "delivered exactly as published, UTF-8 untouched");
    assertTrue(agent.pending().isEmpty(), "a pub without id is not acknowledged");
  }

  @Test
  void publisherSubscribedToItsTopicReceivesItsOwnPublicationAndAnAckForAnId() {
    TestClient client = client();
    await(client.subscribe("self"));
    client.send(pub("self", 1).put("id", "p1"));
    JsonObject first = await(client.next());
    JsonObject second = await(client.next());
    JsonObject ack = "ack".equals(first.getString("action")) ? first : second;
    JsonObject delivered = ack == first ? second : first;
    assertEquals("p1", ack.getValue("id"));
    assertEquals(new JsonArray().add("self"), ack.getJsonArray("topic"));
    assertEquals(1, delivered.getInteger("data"));
    assertFalse(delivered.containsKey("id"), "the publisher's id is not delivered");
  }

  @Test
  void thousandPublicationsReachThreeSubscribersInOrder(VertxTestContext ctx) {
    int count = 1_000;
    List<TestClient> subscribers = List.of(client(), client(), client());
    for (TestClient subscriber : subscribers) {
      await(subscriber.subscribe("ordered"));
    }
    expectInOrder(ctx, subscribers, count);
    TestClient publisher = client();
    for (int i = 0; i < count; i++) {
      publisher.send(pub("ordered", i));
    }
  }

  @Test
  void fiftySubscribersAllReceive() {
    List<TestClient> subscribers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      TestClient subscriber = client();
      await(subscriber.subscribe("many"));
      subscribers.add(subscriber);
    }
    assertEquals(1, gateway.stats().topicConsumers(), "one consumer for the topic on this node");
    client().send(pub("many", "hi"));
    for (TestClient subscriber : subscribers) {
      assertEquals("hi", await(subscriber.next()).getString("data"));
    }
    assertEquals(1, gateway.stats().publicationsReceived(), "the node received the publication once");
  }

  @Test
  void unsubStopsDeliveryAndAcks() {
    TestClient leaving = client();
    TestClient staying = client();
    await(leaving.subscribe("a", "b"));
    await(staying.subscribe("a", "b"));
    leaving.send(new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "a").put("id", 9));
    JsonObject ack = await(leaving.next());
    assertEquals("ack", ack.getString("action"));
    assertEquals(200, ack.getInteger("code"));
    assertEquals(9, ack.getValue("id"));
    TestClient publisher = client();
    publisher.send(pub("a", "after-unsub"));
    publisher.send(pub("b", "marker"));
    assertEquals("after-unsub", await(staying.nextMatching(f -> "a".equals(f.getString("topic")))).getString("data"));
    assertEquals("marker", await(staying.nextMatching(f -> "b".equals(f.getString("topic")))).getString("data"));
    assertEquals("marker", await(leaving.next()).getString("data"));
    assertTrue(leaving.pending().isEmpty(), "nothing on the topic it left");
    assertTrue(gateway.hasTopicConsumer("a"), "the other subscriber still holds the topic");
  }

  @Test
  void lastSubscriberLeavingRemovesTheTopicConsumerAndCloseCleansEverything() {
    TestClient first = client();
    TestClient second = client();
    await(first.subscribe("t1", "t2"));
    await(second.subscribe("t1"));
    assertEquals(2, gateway.stats().topicConsumers());
    await(first.close());
    waitUntil("t2's only subscriber is gone", () -> !gateway.hasTopicConsumer("t2"));
    assertTrue(gateway.hasTopicConsumer("t1"));
    await(second.close());
    waitUntil("no state left", () -> {
      GatewayStats stats = gateway.stats();
      return stats.connections() == 0 && stats.topicConsumers() == 0 && stats.subscriptions() == 0 && stats.openRequests() == 0;
    });
  }

  @Test
  void backendCodePublishesToSubscribers() {
    TestClient client = client();
    await(client.subscribe("prices"));
    Backend.create(vertx, "pricer").publish("prices", 200, "tick", new JsonObject().put("eur", 1.08));
    JsonObject delivered = await(client.next());
    assertEquals(new JsonObject().put("mode", "pub_sub").put("action", "pub").put("src", "pricer").put("topic", "prices")
      .put("code", 200).put("msg", "tick").put("data", new JsonObject().put("eur", 1.08)), delivered);
    // a raw event-bus publish of a bare JsonObject gets the pub fields filled in
    vertx.eventBus().publish("topic.prices", new JsonObject().put("data", 2));
    JsonObject raw = await(client.next());
    assertEquals("prices", raw.getString("topic"));
    assertEquals("pub", raw.getString("action"));
    assertEquals(2, raw.getInteger("data"));
  }

  @Test
  void topicCallbackAnswersEachPublicationOnceWithoutLooping() {
    await(vertx.deployVerticle(new UserTopicCallback()));
    TestClient watcher = client();
    await(watcher.subscribe(UserTopicCallback.TOPIC));
    TestClient agent = client();
    agent.sendText(SEED_PUB);
    agent.send(pub("user", "second"));
    List<JsonObject> followUps = new ArrayList<>();
    List<JsonObject> originals = new ArrayList<>();
    while (followUps.size() < 2 || originals.size() < 2) {
      JsonObject frame = await(watcher.next());
      ("user-callback".equals(frame.getString("src")) ? followUps : originals).add(frame);
    }
    assertEquals(new JsonArray().add(new JsonObject().put("name", "jw").put("age", 110)),
      followUps.get(0).getJsonObject("data").getValue("seen"));
    assertEquals("second", followUps.get(1).getJsonObject("data").getValue("seen"));
    // a marker published after both follow-ups must be the next frame: no follow-up of a follow-up
    Backend.create(vertx, "user-callback").publish("user", 200, "marker", "end");
    assertEquals("marker", await(watcher.next()).getString("msg"));
  }

  @Test
  void subscriptionsOfEveryTopicInAFrameAreLiveWhenTheAckArrives() {
    TestClient client = client();
    await(client.subscribe("x1", "x2", "x3"));
    Backend backend = Backend.create(vertx, "b");
    backend.publish("x3", 200, "", 3);
    backend.publish("x1", 200, "", 1);
    List<Integer> got = new ArrayList<>();
    got.add(await(client.next()).getInteger("data"));
    got.add(await(client.next()).getInteger("data"));
    assertTrue(got.containsAll(List.of(1, 3)), got.toString());
    assertEquals(3, gateway.stats().subscriptions());
  }

  @Test
  void aTopicFlappingBetweenNoneAndOneSubscriberKeepsItsRegistrationThroughTheLingerAndDropsItAfter() {
    TestClient client = client();
    await(client.subscribe("solo"));
    long writes = gateway.stats().topicRegistryWrites();
    JsonObject unsub = new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "solo");
    for (int i = 0; i < 20; i++) {
      client.send(unsub.copy().put("id", "u" + i));
      assertEquals(200, await(client.nextMatching(f -> "ack".equals(f.getString("action")))).getInteger("code"));
      assertTrue(gateway.hasTopicConsumer("solo"), "kept through the linger");
      assertEquals(200, await(client.subscribe("solo")).getInteger("code"));
    }
    assertEquals(writes, gateway.stats().topicRegistryWrites(), "20 flaps: no registration and no unregistration");
    client().send(pub("solo", "still live"));
    assertEquals("still live", await(client.next()).getString("data"));

    client.send(unsub.copy().put("id", "last"));
    await(client.nextMatching(f -> "ack".equals(f.getString("action"))));
    assertTrue(gateway.hasTopicConsumer("solo"), "kept through the linger");
    assertEquals(1, gateway.stats().topicConsumers());
    assertEquals(0, gateway.report().getJsonObject("topics").size(), "a lingering topic has no subscribers to report");
    waitUntil("the linger is over", () -> !gateway.hasTopicConsumer("solo"));
    assertEquals(writes + 1, gateway.stats().topicRegistryWrites(), "unregistered once");
  }

  @Test
  void aHotTopicToggledByOneClientKeepsDeliveringEverythingInOrderToItsSteadySubscribers(VertxTestContext ctx) {
    int count = 2_000;
    List<TestClient> steady = List.of(client(), client(), client(), client());
    for (TestClient subscriber : steady) {
      await(subscriber.subscribe("hot"));
    }
    expectInOrder(ctx, steady, count);
    // a flapper toggles the topic while it is published to, from both event loops
    List<TestClient> flappers = List.of(client(), client());
    JsonObject sub = new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", "hot");
    JsonObject unsub = new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "hot");
    TestClient publisher = client();
    for (int i = 0; i < count; i++) {
      publisher.send(pub("hot", i));
      if (i % 10 == 0) {
        for (TestClient flapper : flappers) {
          flapper.send(sub).send(unsub);
        }
      }
    }
  }

  /** Passes {@code ctx} once every subscriber received publications 0 to {@code count - 1} in order. */
  private static void expectInOrder(VertxTestContext ctx, List<TestClient> subscribers, int count) {
    Checkpoint allReceived = ctx.checkpoint(subscribers.size());
    for (TestClient subscriber : subscribers) {
      AtomicInteger expected = new AtomicInteger();
      subscriber.socket().textMessageHandler(text -> ctx.verify(() -> {
        assertEquals(expected.getAndIncrement(), new JsonObject(text).getInteger("data"));
        if (expected.get() == count) {
          allReceived.flag();
        }
      }));
    }
  }
}
