package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.pub;

/**
 * {@code sub} and {@code unsub} are rate limited per connection by the topics they name: a
 * client toggling a thousand topics gets 429s instead of a thousand cluster-wide registry
 * writes, and the others on its event loop are not held up by it.
 */
class SubscribeRateTest extends GatewayTestBase {

  private static final int RATE = 20;
  private static final int BURST = 40;
  private static final int TOPICS_PER_FRAME = 10;

  @Override
  protected GatewayOptions options() {
    // one event loop: the toggler and the bystander share it
    return super.options().setInstances(1).setSubscribeRate(RATE).setSubscribeBurst(BURST);
  }

  @Test
  void togglingTopicsOverTheRateGets429AcksCostsTheRegistryOnlyWhatPassedAndTheConnectionStaysUsable() {
    TestClient toggler = client();
    TestClient bystander = client();
    long writesBefore = gateway.stats().topicRegistryWrites();
    int pairs = 50;
    // 50 sub + 50 unsub frames of 10 fresh topics each: 1,000 topics toggled, far over a burst of 40
    for (int i = 0; i < pairs; i++) {
      JsonArray topics = new JsonArray();
      for (int j = 0; j < TOPICS_PER_FRAME; j++) {
        topics.add("churn-" + i + "-" + j);
      }
      toggler.send(frame("sub", topics, 2 * i)).send(frame("unsub", topics, 2 * i + 1));
    }
    // a bystander on the same loop subscribes in the middle of it: answered, and live
    JsonObject bystanderAck = await(bystander.subscribe("calm"));
    assertEquals(200, bystanderAck.getInteger("code"), bystanderAck.encode());

    int[] codes = new int[2 * pairs];
    for (int id = 0; id < codes.length; id++) {
      int expected = id;
      JsonObject ack = await(toggler.nextMatching(f -> "ack".equals(f.getString("action")) && f.getInteger("id") == expected));
      codes[id] = ack.getInteger("code");
      assertTrue(codes[id] == 200 || codes[id] == 429 && ack.getString("msg").contains("rate"), ack.encode());
    }
    int passed = 0;
    int heldTopics = 0;
    for (int i = 0; i < pairs; i++) {
      passed += (codes[2 * i] == 200 ? 1 : 0) + (codes[2 * i + 1] == 200 ? 1 : 0);
      heldTopics += codes[2 * i] == 200 && codes[2 * i + 1] == 429 ? TOPICS_PER_FRAME : 0;
    }
    assertTrue(passed <= codes.length / 4, passed + " of " + codes.length + " frames passed a burst of " + BURST + " topics");
    // a refused frame changed nothing: only what passed is held, and only it reached the registry
    assertEquals(1 + heldTopics, gateway.stats().subscriptions());
    long writes = gateway.stats().topicRegistryWrites() - writesBefore;
    assertTrue(writes <= 1 + 2L * passed * TOPICS_PER_FRAME, writes + " registry writes for " + passed + " frames");

    // the bucket refills: the same connection subscribes again, and it is live
    waitUntil("the toggler may subscribe again", () -> await(toggler.subscribe("later")).getInteger("code") == 200);
    client().send(pub("later", "after").put("id", "p")).send(pub("calm", "calm too"));
    assertEquals("after", await(toggler.nextMatching(f -> "later".equals(f.getString("topic")))).getString("data"));
    assertEquals("calm too", await(bystander.next()).getString("data"));
  }

  @Test
  void aFrameNamingMoreTopicsThanTheBurstIsRefusedWholeAndOneWithinItPasses() {
    TestClient client = client();
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < BURST + 1; i++) {
      many.add("wide-" + i);
    }
    client.send(frame("sub", new JsonArray(many), "wide"));
    JsonObject refused = await(client.next());
    assertEquals(429, refused.getInteger("code"), refused.encode());
    assertEquals(0, gateway.stats().subscriptions(), "nothing of the frame subscribed");
    assertEquals(200, await(client.subscribe("narrow-1", "narrow-2")).getInteger("code"));
    assertEquals(2, gateway.stats().subscriptions());
  }

  private static JsonObject frame(String action, JsonArray topics, Object id) {
    return new JsonObject().put("mode", "pub_sub").put("action", action).put("topic", topics).put("id", id);
  }
}
