package org.jwws.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.V2Frames.ackOf;
import static org.jwws.gateway.V2Frames.presence;
import static org.jwws.gateway.TestClient.await;

/** Presence on a standalone node: the presence action, join/leave events for those who ask, the list bound. */
class PresenceTest extends GatewayTestBase {

  @Override
  protected GatewayOptions options() {
    return super.options().addPresence("room.*").setMaxPresenceList(2);
  }

  static JsonObject subWithEvents(String topic, Object id) {
    return V2Frames.sub(topic, id, null).put("presence_events", true);
  }

  static JsonObject nextEvent(TestClient client, String action) {
    return await(client.nextMatching(f -> action.equals(f.getString("action"))));
  }

  @Test
  void presenceListsSubscribersAndAnnouncesJoinsAndLeavesToThoseWhoAsked() {
    TestClient watcher = client();
    watcher.send(subWithEvents("room.1", "w"));
    assertEquals(200, ackOf(watcher, "w").getInteger("code"));
    JsonObject self = nextEvent(watcher, "join");
    assertEquals("room.1", self.getString("topic"));
    assertNull(self.getJsonObject("data").getValue("principal"));
    assertEquals("standalone", self.getJsonObject("data").getString("node"));

    TestClient quiet = client();
    await(quiet.subscribe("room.1"));
    JsonObject joined = nextEvent(watcher, "join").getJsonObject("data");
    JsonObject listed = presence(watcher, "room.1");
    assertEquals(200, listed.getInteger("code"));
    assertEquals(2, listed.getInteger("count"));
    Set<String> conns = new HashSet<>();
    listed.getJsonArray("data").forEach(entry -> conns.add(((JsonObject) entry).getString("conn")));
    assertTrue(conns.contains(joined.getString("conn")));

    await(quiet.close());
    assertEquals(joined, nextEvent(watcher, "leave").getJsonObject("data"), "leave on disconnect");
    assertEquals(1, presence(watcher, "room.1").getInteger("count"));
    assertTrue(quiet.pending().stream().noneMatch(f -> "join".equals(f.getString("action"))), "no events unasked");
  }

  @Test
  void unsubscribeLeavesAndTheListIsTruncatedWithTheCount() {
    TestClient watcher = client();
    watcher.send(subWithEvents("room.2", "w"));
    ackOf(watcher, "w");
    for (int i = 0; i < 3; i++) {
      await(client().subscribe("room.2"));
    }
    waitUntil("4 listed", () -> presence(watcher, "room.2").getInteger("count") == 4);
    JsonObject listed = presence(watcher, "room.2");
    assertEquals(2, listed.getJsonArray("data").size(), "at most maxPresenceList entries");
    watcher.send(new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", "room.2").put("id", "u"));
    ackOf(watcher, "u");
    waitUntil("3 listed", () -> presence(watcher, "room.2").getInteger("count") == 3);

    watcher.send(new JsonObject().put("mode", "pub_sub").put("action", "presence").put("topic", "lobby").put("id", "x"));
    JsonObject refused = ackOf(watcher, "x");
    assertEquals(400, refused.getInteger("code"));
    assertEquals(new JsonArray().add("lobby"), refused.getJsonArray("topic"));
    watcher.send(V2Frames.sub("room.2", "bad", null).put("presence_events", "yes"));
    assertEquals(400, ackOf(watcher, "bad").getInteger("code"));
  }
}
