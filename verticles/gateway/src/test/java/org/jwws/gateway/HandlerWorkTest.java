package org.jwws.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.CancelNotices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.req;

/**
 * The handler work a client can cause is bounded: a cancelled or expired request never starts,
 * its slot stays taken until the handler is done with it, a worker's queue has a limit with a
 * clear answer, and a handler that goes away answers 503.
 */
class HandlerWorkTest extends GatewayTestBase {

  private static final int MAX_OPEN = 10;
  /** Ids of {@code work} requests that started, in order. */
  private final List<String> started = new CopyOnWriteArrayList<>();

  @Override
  protected GatewayOptions options() {
    return super.options().setMaxOpenRequests(MAX_OPEN).setCommandTimeoutMs("work", 2_000);
  }

  @BeforeEach
  void listenForStarts() {
    await(vertx.eventBus().<String>consumer(WorkCommands.STARTED, msg -> started.add(msg.body())).completion());
  }

  private String deployWork(JsonObject config) {
    return await(vertx.deployVerticle(new WorkCommands(),
      new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(config)));
  }

  private static JsonObject cancel(Object id) {
    return new JsonObject().put("mode", "req_res").put("action", "cancel").put("id", id);
  }

  private static JsonObject work(Object id, long ms) {
    return req("work", id, new JsonObject().put("ms", ms));
  }

  /**
   * A request queued behind the others on the same worker: once it is answered, they were all
   * taken. Its start signal, over the event bus, may come after its answer: it is waited for
   * too. One worker's signals come in order, so a request that ran before the probe shows in
   * {@link #started} before it.
   */
  private void awaitWorkerIdle(TestClient client) {
    client.send(work("probe", 0));
    assertEquals(200, await(client.finalResponse("probe")).getInteger("code"));
    waitUntil("the probe's start is told", () -> started.contains("probe"));
  }

  @Test
  void cancelledPlainRequestNeverStartsAndItsSlotIsFreedWhenTheWorkerDropsIt() {
    deployWork(new JsonObject());
    TestClient client = client();
    client.send(work("busy", 500));
    waitUntil("the worker is busy", () -> started.contains("busy"));
    client.send(work("queued", 0)).send(cancel("queued"));
    JsonObject cancelled = await(client.finalResponse("queued"));
    assertEquals(499, cancelled.getInteger("code"));
    // the worker's queue dropped it on the notice (freeing its slot) while "busy" still runs
    waitUntil("the handler side dropped the cancelled request", () -> gateway.stats().openRequests() == 1);
    assertEquals(List.of("busy"), started);
    assertEquals(200, await(client.finalResponse("busy")).getInteger("code"));
    awaitWorkerIdle(client);
    assertEquals(List.of("busy", "probe"), started, "the cancelled request never ran");
    waitUntil("every slot is free", () -> gateway.stats().openRequests() == 0);
  }

  @Test
  void requestThatWaitedPastItsTimeoutNeverStarts() {
    deployWork(new JsonObject());
    TestClient client = client();
    client.send(work("long", 2_500));
    waitUntil("the worker is busy", () -> started.contains("long"));
    client.send(work("late", 0));
    assertEquals(504, await(client.finalResponse("late")).getInteger("code"));
    assertEquals(504, await(client.finalResponse("long")).getInteger("code"));
    awaitWorkerIdle(client);
    assertEquals(List.of("long", "probe"), started, "the expired request never ran");
  }

  @Test
  void blockAndCancelInALoopIsBoundedByMaxOpenRequestsAndOthersKeepBeingAnswered() {
    deployWork(new JsonObject());
    TestClient attacker = client();
    TestClient other = client();
    int rounds = 5 * MAX_OPEN;
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      attacker.send(work(i, 200)).send(cancel(i));
      answers.add(attacker.finalResponse(i));
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(200, await(other.request("echo", new JsonObject().put("i", i))).getInteger("code"), "others are answered");
    }
    int tooMany = 0;
    for (Future<JsonObject> answer : answers) {
      int code = await(answer).getInteger("code");
      assertTrue(code == 499 || code == 429, "cancelled or refused: " + code);
      tooMany += code == 429 ? 1 : 0;
    }
    // slots are freed as the worker drops cancelled requests, so how many were refused varies
    System.out.println("[measured] block + cancel x " + rounds + ": " + tooMany + " refused 429 while " + MAX_OPEN + " slots were held");
    // a 499 goes out at the cancel, its slot is freed once the worker dropped the request: the
    // probe below needs a free slot
    waitUntil("every slot is free", () -> gateway.stats().openRequests() == 0);
    awaitWorkerIdle(attacker);
    assertTrue(started.size() <= 2 + 1, "only what the worker had taken before the cancel ran: " + started);
    waitUntil("every slot is free again", () -> gateway.stats().openRequests() == 0);
  }

  @Test
  void cancelNoticesDoNotOutliveTheirRequests() {
    TestClient client = client();
    for (int i = 0; i < 200; i++) {
      // sleep attaches once started: the cancel often overtakes that, sending a notice instead
      client.send(req("sleep", i, new JsonObject().put("ms", 60_000))).send(cancel(i));
      int code = await(client.finalResponse(i)).getInteger("code");
      assertTrue(code == 499 || code == 429, "cancelled, or refused while the slots are held: " + code);
    }
    waitUntil("every slot is free", () -> gateway.stats().openRequests() == 0);
    waitUntil("no notice is kept for requests that are over", () -> CancelNotices.kept(vertx) == 0);
  }

  @Test
  void workerQueueOverItsLimitAnswers503HandlerBusy() {
    deployWork(new JsonObject().put("maxPendingRequests", 2));
    TestClient client = client();
    client.send(work("running", 500));
    waitUntil("the worker is busy", () -> started.contains("running"));
    client.send(work("w1", 0)).send(work("w2", 0)).send(work("over", 0));
    JsonObject busy = await(client.finalResponse("over"));
    assertEquals(503, busy.getInteger("code"));
    assertTrue(busy.getString("msg").startsWith("handler busy"), busy.encode());
    for (String id : List.of("running", "w1", "w2")) {
      assertEquals(200, await(client.finalResponse(id)).getInteger("code"), id);
    }
  }

  @Test
  void undeployedHandlerAnswersItsQueuedAndAttachedRequests503() {
    String work = deployWork(new JsonObject());
    String test = await(vertx.deployVerticle(new TestCommands()));
    TestClient client = client();
    client.send(req("hang", "attached", null));
    client.send(work("running", 500));
    waitUntil("the worker is busy", () -> started.contains("running"));
    client.send(work("queued", 0));
    waitUntil("both wait", () -> gateway.stats().openRequests() == 3);
    await(vertx.undeploy(test));
    JsonObject attached = await(client.finalResponse("attached"));
    assertEquals(503, attached.getInteger("code"), attached.encode());
    assertEquals("handler stopped", attached.getString("msg"));
    Future<Void> undeployed = vertx.undeploy(work);
    JsonObject queued = await(client.finalResponse("queued"));
    assertEquals(503, queued.getInteger("code"), queued.encode());
    assertEquals("handler stopped", queued.getString("msg"));
    assertEquals(200, await(client.finalResponse("running")).getInteger("code"), "the running one finished");
    await(undeployed);
    assertEquals(List.of("running"), started);
  }
}
