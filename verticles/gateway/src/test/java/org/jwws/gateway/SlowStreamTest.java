package org.jwws.gateway;

import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.req;

/**
 * Streams are bounded like publications: a client that stops reading while its handlers stream
 * intermediate responses is closed (1013), its handlers are told it is gone, and the node's
 * memory stays bounded.
 */
class SlowStreamTest extends GatewayTestBase {

  private static final int STREAMS = 100;
  private static final long HEAP_BOUND = 64L * 1024 * 1024;

  @Override
  protected GatewayOptions options() {
    return super.options().setMaxWriteQueueBytes(256 * 1024).setMaxOpenRequests(STREAMS);
  }

  @BeforeEach
  void deployTestCommands() {
    await(vertx.deployVerticle(new TestCommands()));
  }

  @Test
  void clientThatStopsReadingUnderHundredStreamsIsClosed1013AndItsHandlersAreTold() {
    Map<Object, String> endings = new ConcurrentHashMap<>();
    await(vertx.eventBus().<JsonObject>consumer(TestCommands.ENDED,
      msg -> endings.put(msg.body().getValue("id"), msg.body().getString("reason"))).completion());
    TestClient stalled = client();
    TestClient healthy = client();
    for (int i = 0; i < STREAMS; i++) {
      stalled.send(req("stream", i, new JsonObject().put("pad", 200)));
    }
    for (int i = 0; i < STREAMS; i++) {
      int id = i;
      await(stalled.nextMatching(f -> Boolean.TRUE.equals(f.getBoolean("more")) && Integer.valueOf(id).equals(f.getValue("id"))));
    }
    stalled.socket().pause();

    waitUntil("the stalled client is closed as a slow consumer", () -> gateway.stats().slowConsumerCloses() == 1);
    waitUntil("every stream's handler was told", () -> endings.size() == STREAMS);
    assertTrue(endings.values().stream().allMatch("CLIENT_GONE"::equals), endings.toString());
    Promise<Short> closeCode = Promise.promise();
    stalled.socket().closeHandler(v -> closeCode.tryComplete(stalled.socket().closeStatusCode()));
    stalled.socket().handler(buffer -> { });
    stalled.socket().resume();
    assertEquals((short) 1013, await(closeCode.future()), "once it reads again, it finds the close");

    // the other client saw nothing of it: requests and a stream of its own work
    assertEquals(200, await(healthy.request("echo", null)).getInteger("code"));
    assertEquals(200, await(healthy.request("progress", new JsonObject().put("steps", 5).put("interval_ms", 5))).getInteger("code"));
    waitUntil("no request is left open", () -> gateway.stats().openRequests() == 0);
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.println("[measured] after 100 streams to a stalled client: heap after GC " + heap / 1024 / 1024 + " MiB");
    assertTrue(heap < HEAP_BOUND, "heap after GC " + heap);
  }
}
