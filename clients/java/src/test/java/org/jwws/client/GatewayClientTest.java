package org.jwws.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.jwws.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.GatewayTestBase.waitUntil;
import static org.jwws.gateway.TestClient.await;

/** The Java client against a real standalone node started in this JVM, over loopback. */
@ExtendWith(VertxExtension.class)
class GatewayClientTest {

  private Node node;
  private int port;
  private final List<GatewayClient> clients = new ArrayList<>();

  private static JsonObject config(int port) {
    return new JsonObject()
      .put("gateway", new JsonObject().put("host", "127.0.0.1").put("port", port).put("instances", 1)
        .put("shutdownGraceMs", 200))
      .put("handlers", new JsonArray().add(new JsonObject().put("class", "org.jwws.handlers.BuiltinCommands")));
  }

  @BeforeEach
  void startNode() {
    node = await(Node.start(config(0)));
    port = node.gateway().port();
  }

  @AfterEach
  void stopAll() {
    clients.forEach(client -> await(client.close()));
    await(node.stop());
  }

  private GatewayClient client(Vertx vertx, ClientOptions options) {
    GatewayClient client = GatewayClient.connect(vertx, options.setUrl("ws://127.0.0.1:" + port + "/ws"));
    clients.add(client);
    await(client.opened());
    return client;
  }

  private GatewayClient client(Vertx vertx) {
    return client(vertx, new ClientOptions().setMinDelayMs(50).setMaxDelayMs(500));
  }

  private static GatewayException failure(Future<?> future) {
    Throwable cause = await(future.<Throwable>transform(ar -> Future.succeededFuture(ar.cause())));
    return assertInstanceOf(GatewayException.class, cause, "failed with a GatewayException");
  }

  @Test
  void requestsAnswerOrFailWithTheWireCode(Vertx vertx) {
    GatewayClient client = client(vertx);
    JsonObject echo = await(client.request("echo", new JsonArray().add(1), new JsonObject().put("name", "jw")));
    assertEquals(200, echo.getInteger("code"));
    assertEquals(new JsonObject().put("args", new JsonArray().add(1)).put("kwargs", new JsonObject().put("name", "jw")),
      echo.getJsonObject("data"));

    GatewayException missing = failure(client.request("no_such_command", null, null));
    assertEquals(404, missing.code());
    assertEquals(404, missing.frame().getInteger("code"), "the answer as received");
    assertEquals(400, failure(client.request("sleep", null, new JsonObject().put("ms", -1))).code());
    // a Call is a Future like any other
    assertEquals(2, await(Future.all(client.request("web", null, null), client.request("web", null, null))).size());
  }

  @Test
  void progressReachesItsHandlerBeforeTheFinalAnswer(Vertx vertx, VertxTestContext test) {
    GatewayClient client = client(vertx);
    List<Integer> progress = new ArrayList<>();
    client.request("progress", null, new JsonObject().put("steps", 4).put("interval_ms", 10),
        new RequestOptions().setProgressHandler(frame -> progress.add(frame.getJsonObject("data").getInteger("progress"))))
      .onComplete(test.succeeding(done -> test.verify(() -> {
        assertEquals(200, done.getInteger("code"));
        assertEquals(4, progress.size(), "every intermediate response: " + progress);
        assertEquals(100, progress.get(3));
        test.completeNow();
      })));
  }

  @Test
  void cancelEndsTheRequestWith499AndATimeoutWith504(Vertx vertx) {
    GatewayClient client = client(vertx);
    AtomicInteger progressed = new AtomicInteger();
    Call call = client.request("progress", null, new JsonObject().put("steps", 1000).put("interval_ms", 10),
      new RequestOptions().setProgressHandler(frame -> progressed.incrementAndGet()));
    waitUntil("the stream started", () -> progressed.get() > 0);
    call.cancel();
    assertEquals(499, failure(call).code());

    Call slow = client.request("sleep", null, new JsonObject().put("ms", 60_000), new RequestOptions().setTimeoutMs(200));
    GatewayException timedOut = failure(slow);
    assertEquals(504, timedOut.code());
    assertNull(timedOut.frame(), "the client gave up by itself");
    // the connection still serves
    assertEquals(200, await(client.request("web", null, null)).getInteger("code"));
  }

  @Test
  void dialogueRoundsGoToOneHandlerInvocation(Vertx vertx) {
    GatewayClient client = client(vertx);
    Dialogue talk = client.dialogue("dialogue", null, new JsonObject().put("say", "hello"));
    assertEquals(0, await(talk.first()).getJsonObject("data").getInteger("round"));
    JsonObject second = await(talk.send(null, new JsonObject().put("say", "again")));
    assertEquals(1, second.getJsonObject("data").getInteger("round"));
    assertEquals("again", second.getJsonObject("data").getJsonObject("kwargs").getString("say"));
    JsonObject last = await(talk.send(null, new JsonObject().put("done", true)));
    assertEquals(200, last.getInteger("code"));
    assertTrue(last.getValue("more") == null, "the final response: " + last);
    assertEquals(last, await(talk.done()));

    // a conversation left open ends at its timeout, and so does the round waiting for an answer
    Dialogue abandoned = client.dialogue("dialogue", null, new JsonObject(), 300);
    await(abandoned.first());
    assertEquals(504, failure(abandoned.done()).code());
    assertEquals(504, failure(abandoned.send(null, new JsonObject())).code());
  }

  @Test
  void subscribePublishUnsubscribeWithAcks(Vertx vertx) {
    GatewayClient subscriber = client(vertx);
    GatewayClient publisher = client(vertx);
    List<JsonObject> news = new CopyOnWriteArrayList<>();
    List<JsonObject> sentinel = new CopyOnWriteArrayList<>();
    JsonObject ack = await(subscriber.subscribe("news", news::add));
    assertEquals(200, ack.getInteger("code"));
    await(subscriber.subscribe("sentinel", sentinel::add));

    assertEquals(200, await(publisher.publish("news", new JsonObject().put("n", 1), new PublishOptions().setAck(true))).getInteger("code"));
    waitUntil("the publication arrives", () -> news.size() == 1);
    assertEquals(1, news.get(0).getJsonObject("data").getInteger("n"));

    assertEquals(200, await(subscriber.unsubscribe(List.of("news"), null)).getInteger("code"));
    await(publisher.publish("news", new JsonObject().put("n", 2), new PublishOptions().setAck(true)));
    await(publisher.publish("sentinel", "after", new PublishOptions().setAck(true)));
    // one publisher's publications arrive in order: once the sentinel is here, n=2 would have been
    waitUntil("the sentinel arrives", () -> sentinel.size() == 1);
    assertEquals(1, news.size(), "nothing after unsub");

    assertEquals(400, failure(publisher.publish("not a topic!", 1, new PublishOptions().setAck(true))).code());
    assertEquals(400, failure(subscriber.subscribe("not a topic!", frame -> { })).code());
  }

  @Test
  void aRestartedNodeGetsTheClientBackSubscribedAndNothingHangs(Vertx vertx) {
    GatewayClient subscriber = client(vertx);
    List<JsonObject> news = new CopyOnWriteArrayList<>();
    List<Short> closes = new CopyOnWriteArrayList<>();
    AtomicInteger reconnects = new AtomicInteger();
    subscriber.closeHandler(closes::add).reconnectHandler(v -> reconnects.incrementAndGet());
    await(subscriber.subscribe("news", news::add));
    Call inFlight = subscriber.request("sleep", null, new JsonObject().put("ms", 60_000));

    await(node.stop());
    // the node answered it while draining, or the client failed it at the close: never a hang
    assertEquals(503, failure(inFlight).code());
    waitUntil("the close reached the client", () -> !closes.isEmpty());
    assertEquals(503, failure(subscriber.request("echo", null, null)).code(), "no node: fails, no hang");

    node = await(Node.start(config(port)));
    waitUntil("reconnected", () -> reconnects.get() == 1);
    GatewayClient publisher = client(vertx);
    // reconnected means re-subscribed and acknowledged: a publication from now on arrives
    await(publisher.publish("news", "after the restart", new PublishOptions().setAck(true)));
    waitUntil("re-subscribed after the restart", () -> news.size() == 1);
    assertEquals(200, await(subscriber.request("echo", null, null)).getInteger("code"));
  }

  @Test
  void theInboundQueueStopsAtItsBoundAndResumeDeliversInOrder(Vertx vertx) {
    int bound = 5;
    int published = 50;
    GatewayClient subscriber = client(vertx, new ClientOptions().setMaxInboundQueue(bound));
    GatewayClient publisher = client(vertx);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    await(subscriber.subscribe("burst", frame -> seen.add(frame.getInteger("data"))));
    subscriber.pause();
    for (int n = 0; n < published; n++) {
      await(publisher.publish("burst", n, new PublishOptions().setAck(true)));
    }
    waitUntil("the queue fills", () -> await(subscriber.inboundQueued()) == bound);
    assertTrue(seen.isEmpty(), "nothing handled while paused");
    // every publication was acked, so the gateway has sent or holds them all: the queue stays at the bound
    await(publisher.publish("burst", -1, new PublishOptions().setAck(true)));
    assertEquals(bound, await(subscriber.inboundQueued()), "bounded");

    subscriber.resume();
    waitUntil("all delivered", () -> seen.size() == published + 1);
    List<Integer> expected = new ArrayList<>(IntStream.range(0, published).boxed().toList());
    expected.add(-1);
    assertEquals(expected, seen, "in order, none lost");
  }
}
