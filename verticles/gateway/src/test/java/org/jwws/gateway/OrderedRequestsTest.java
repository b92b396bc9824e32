package org.jwws.gateway;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.req;

/**
 * Ordered requests (PROTOCOL.md "Ordered requests"): with {@code "ordered": true}, or for a
 * command of {@code orderedCommands}, a connection's requests reach their handlers one at a
 * time in arrival order. The handler here logs when each request reaches it and when it
 * answers, so the order is read from the log, not from timing.
 */
class OrderedRequestsTest extends GatewayTestBase {

  private static final int MAX_OPEN = 4;
  /** Timeout of {@code slow.step}: shorter than two of its requests back to back. */
  private static final long SLOW_TIMEOUT_MS = 1_000;

  /** "start ID" when a request reached the handler, "end ID" when the handler answered it. */
  private final List<String> log = new CopyOnWriteArrayList<>();
  /** Requests of {@code kwargs.hold} the handler keeps until the test answers them. */
  private final Map<String, Message<JsonObject>> held = new ConcurrentHashMap<>();

  @Override
  protected GatewayOptions options() {
    return super.options().setMaxOpenRequests(MAX_OPEN).addOrderedCommand("queue.*")
      .setCommandTimeoutMs("slow.step", SLOW_TIMEOUT_MS);
  }

  /** {@code step}, {@code queue.step} and {@code slow.step}: answer after {@code kwargs.ms}, or when the test says. */
  @BeforeEach
  void deployStepHandler() {
    for (String command : List.of("step", "queue.step", "slow.step")) {
      await(vertx.eventBus().<JsonObject>consumer("cmd." + command, this::step).completion());
    }
  }

  private void step(Message<JsonObject> msg) {
    String id = msg.body().getString("id");
    JsonObject kwargs = msg.body().getJsonObject("kwargs");
    log.add("start " + id);
    if (kwargs.getBoolean("hold", false)) {
      held.put(id, msg);
    } else {
      vertx.setTimer(Math.max(1, kwargs.getLong("ms", 0L)), t -> answer(id, msg));
    }
  }

  private void answer(String id, Message<JsonObject> msg) {
    log.add("end " + id);
    msg.reply(new JsonObject().put("ran", id));
  }

  /** The handler answers a request it holds. */
  private void letGo(String id) {
    waitUntil(id + " is held by the handler", () -> held.containsKey(id));
    answer(id, held.remove(id));
  }

  private static JsonObject step(String command, String id, long ms) {
    return req(command, id, new JsonObject().put("ms", ms));
  }

  private static JsonObject ordered(String id, long ms) {
    return step("step", id, ms).put("ordered", true);
  }

  private static JsonObject held(String id) {
    return req("step", id, new JsonObject().put("hold", true));
  }

  private static JsonObject orderedHeld(String id) {
    return held(id).put("ordered", true);
  }

  private static JsonObject cancel(String id) {
    return new JsonObject().put("mode", "req_res").put("action", "cancel").put("id", id);
  }

  private static void assertOk(JsonObject res) {
    assertEquals(200, res.getInteger("code"), res.encode());
  }

  @Test
  void orderedRequestsOfAConnectionReachTheHandlerOneAfterAnotherInArrivalOrder() {
    TestClient client = client();
    client.send(ordered("a", 200)).send(ordered("b", 100)).send(ordered("c", 1));
    // the shortest last: run concurrently they would end c, b, a
    for (String id : List.of("a", "b", "c")) {
      JsonObject res = await(client.next());
      assertEquals(id, res.getValue("id"), "final responses in arrival order");
      assertOk(res);
    }
    assertEquals(List.of("start a", "end a", "start b", "end b", "start c", "end c"), log,
      "each request reached the handler only once the one before it was answered");
    waitUntil("every slot is free", () -> gateway.stats().openRequests() == 0);
  }

  @Test
  void aRunningOrderedDialogueTakesItsRoundsAndTheNextWaitsForItsFinalResponse() {
    // the built-in dialogue (handler API: it attaches, rounds go to its control address)
    TestClient client = client();
    client.send(req("dialogue", "d", null).put("ordered", true)).send(ordered("next", 1));
    JsonObject first = await(client.next());
    assertEquals(true, first.getBoolean("more"), first.encode());
    client.send(req("dialogue", "d", new JsonObject().put("say", "again")));
    assertEquals(1, await(client.next()).getJsonObject("data").getInteger("round"));
    assertTrue(log.isEmpty(), "an intermediate response is not the turn's end: " + log);
    client.send(req("dialogue", "d", new JsonObject().put("done", true)));
    JsonObject last = await(client.next());
    assertEquals("d", last.getValue("id"));
    assertFalse(last.containsKey("more"));
    assertOk(await(client.finalResponse("next")));
    assertEquals(List.of("start next", "end next"), log);
  }

  @Test
  void unorderedRequestsOverlapAndAreNotHeldBehindOrderedOnes() {
    TestClient client = client();
    client.send(held("x")).send(held("y").put("ordered", false));
    waitUntil("both reached the handler, neither answered", () -> held.keySet().containsAll(List.of("x", "y")));
    letGo("y");
    letGo("x");
    assertOk(await(client.finalResponse("y")));
    assertOk(await(client.finalResponse("x")));

    client.send(orderedHeld("a")).send(ordered("b", 1)).send(step("step", "u", 1));
    JsonObject unordered = await(client.next());
    assertEquals("u", unordered.getValue("id"), "an unordered request passes the waiting ordered one");
    assertOk(unordered);
    assertFalse(log.contains("start b"), "b still waits for a: " + log);
    letGo("a");
    assertOk(await(client.finalResponse("a")));
    assertOk(await(client.finalResponse("b")));
  }

  @Test
  void orderedRequestsOfTwoConnectionsDoNotWaitForEachOther() {
    TestClient first = client();
    TestClient second = client();
    first.send(orderedHeld("a"));
    waitUntil("a reached the handler", () -> held.containsKey("a"));
    second.send(ordered("b", 1));
    assertOk(await(second.finalResponse("b")));
    assertTrue(held.containsKey("a"), "b was answered while the other connection's a was still open");
    letGo("a");
    assertOk(await(first.finalResponse("a")));
  }

  @Test
  void everyRequestOfAConfiguredCommandIsOrderedEvenWithOrderedFalse() {
    TestClient client = client();
    client.send(step("queue.step", "a", 200)).send(step("queue.step", "b", 1).put("ordered", false));
    assertEquals("a", await(client.next()).getValue("id"));
    assertEquals("b", await(client.next()).getValue("id"));
    assertEquals(List.of("start a", "end a", "start b", "end b"), log);
  }

  @Test
  void orderedThatIsNotABooleanIs400AndTheConnectionStaysUsable() {
    TestClient client = client();
    for (Object wrong : List.of("yes", 1, new JsonObject(), new JsonArray())) {
      client.send(req("step", "w", null).put("ordered", wrong));
      JsonObject res = await(client.next());
      assertEquals(400, res.getInteger("code"), res.encode());
      assertEquals("ordered must be a boolean", res.getString("msg"));
      assertEquals("step", res.getString("command"));
      assertEquals("w", res.getValue("id"));
      assertEquals("res", res.getString("action"));
    }
    assertTrue(log.isEmpty(), "no refused request reached the handler: " + log);
    // null is no value, as for args and kwargs
    client.send(step("step", "n", 1).putNull("ordered"));
    assertOk(await(client.finalResponse("n")));
  }

  @Test
  void cancelOfAWaitingOrderedRequestAnswers499FreesItsSlotAtOnceAndItNeverStarts() {
    TestClient client = client();
    client.send(orderedHeld("a")).send(ordered("b", 1));
    waitUntil("a reached the handler, b waits", () -> held.containsKey("a") && gateway.stats().openRequests() == 2);
    client.send(cancel("b"));
    JsonObject cancelled = await(client.finalResponse("b"));
    assertEquals(499, cancelled.getInteger("code"));
    assertEquals("step", cancelled.getString("command"));
    waitUntil("b's slot is free while a is still open", () -> gateway.stats().openRequests() == 1);
    letGo("a");
    assertOk(await(client.finalResponse("a")));
    client.send(ordered("c", 1));
    assertOk(await(client.finalResponse("c")));
    assertEquals(List.of("start a", "end a", "start c", "end c"), log, "the cancelled b never reached the handler");
    waitUntil("every slot is free", () -> gateway.stats().openRequests() == 0);
  }

  @Test
  void cancelOfTheRunningOrderedRequestLetsTheNextOneStart() {
    TestClient client = client();
    client.send(orderedHeld("a")).send(ordered("b", 1));
    waitUntil("a reached the handler", () -> held.containsKey("a"));
    client.send(cancel("a"));
    assertEquals(499, await(client.finalResponse("a")).getInteger("code"));
    // the turn passes with the client's final response, not when the (plain, untold) handler lets go
    assertOk(await(client.finalResponse("b")));
    assertEquals(List.of("start a", "start b", "end b"), log);
    letGo("a");
    waitUntil("every slot is free", () -> gateway.stats().openRequests() == 0);
  }

  @Test
  void waitingOrderedRequestsCountAgainstMaxOpenRequests() {
    TestClient client = client();
    client.send(orderedHeld("a"));
    for (int i = 1; i < MAX_OPEN; i++) {
      client.send(ordered("w" + i, 1));
    }
    client.send(step("step", "over", 1));
    JsonObject over = await(client.finalResponse("over"));
    assertEquals(429, over.getInteger("code"));
    assertEquals("too many open requests (limit " + MAX_OPEN + ")", over.getString("msg"));
    client.send(cancel("w1"));
    assertEquals(499, await(client.finalResponse("w1")).getInteger("code"));
    client.send(step("step", "room", 1));
    assertOk(await(client.finalResponse("room")));
    letGo("a");
    for (int i = 2; i < MAX_OPEN; i++) {
      assertOk(await(client.finalResponse("w" + i)));
    }
    waitUntil("every slot is free", () -> gateway.stats().openRequests() == 0);
  }

  @Test
  void closingDropsTheWaitingOrderedRequests() {
    TestClient client = client();
    client.send(orderedHeld("a")).send(ordered("b", 1)).send(ordered("c", 1));
    waitUntil("a reached the handler, b and c wait", () -> held.containsKey("a") && gateway.stats().openRequests() == 3);
    await(client.close());
    waitUntil("no request and no connection left", () -> gateway.stats().openRequests() == 0 && gateway.stats().connections() == 0);
    letGo("a");
    // a request of another connection through the same handler: b and c would have come before it
    TestClient other = client();
    other.send(ordered("probe", 1));
    assertOk(await(other.finalResponse("probe")));
    assertEquals(List.of("start a", "end a", "start probe", "end probe"), log, "b and c never reached the handler");
  }

  @Test
  void theTimeoutRunsFromWhenTheRequestIsSentToItsHandler() {
    TestClient client = client();
    long sent = System.nanoTime();
    long stepMs = SLOW_TIMEOUT_MS * 7 / 10;
    client.send(step("slow.step", "a", stepMs).put("ordered", true)).send(step("slow.step", "b", stepMs).put("ordered", true));
    assertOk(await(client.finalResponse("a")));
    assertOk(await(client.finalResponse("b")));
    long elapsedMs = (System.nanoTime() - sent) / 1_000_000;
    assertTrue(elapsedMs >= 2 * stepMs, "b was answered " + elapsedMs + " ms after it arrived, past its "
      + SLOW_TIMEOUT_MS + " ms timeout: its wait did not count");
    assertEquals(List.of("start a", "end a", "start b", "end b"), log);
  }

  @Test
  void aTimedOutOrderedRequestLetsTheNextOneStart() {
    TestClient client = client();
    client.send(req("slow.step", "a", new JsonObject().put("hold", true)).put("ordered", true)).send(ordered("b", 1));
    JsonObject timedOut = await(client.next());
    assertEquals("a", timedOut.getValue("id"));
    assertEquals(504, timedOut.getInteger("code"));
    assertOk(await(client.finalResponse("b")));
    assertEquals(List.of("start a", "start b", "end b"), log);
  }

  @Test
  void orderedCommandsAreReadWrittenAndChecked() {
    GatewayOptions options = new GatewayOptions(new JsonObject().put("orderedCommands", new JsonArray().add("queue.*").add("pay")));
    assertEquals(List.of("queue.*", "pay"), options.getOrderedCommands());
    assertTrue(options.orderedCommand("queue.step") && options.orderedCommand("pay"));
    assertFalse(options.orderedCommand("payment") || options.orderedCommand("step"));
    assertEquals(new JsonArray().add("queue.*").add("pay"), new GatewayOptions(options).toJson().getJsonArray("orderedCommands"));
    assertEquals(new JsonArray(), new GatewayOptions().toJson().getJsonArray("orderedCommands"), "none by default");
    assertFalse(new GatewayOptions().orderedCommand("anything"));
    assertThrows(IllegalArgumentException.class, () -> new GatewayOptions().addOrderedCommand(""));
    assertThrows(IllegalArgumentException.class,
      () -> new GatewayOptions(new JsonObject().put("orderedCommands", new JsonArray().add(7))));
  }
}
