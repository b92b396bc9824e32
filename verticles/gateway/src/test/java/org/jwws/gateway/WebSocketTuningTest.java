package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway changes on every WebSocket it accepts ({@link GatewayVerticle#tune}) is in
 * place on the Vert.x in use (a version that hid it would silently lose it), and frames still
 * go out as written: outside a read (as publications are), at once or merged when a busy loop
 * defers their flushes, the last ones before a close, and with the write queue's backpressure
 * (full, then drained) intact without Vert.x's outbound queue.
 */
@ExtendWith(VertxExtension.class)
class WebSocketTuningTest {

  private static final int BURST = 2_000;
  /** Bounds the backpressure test's writes: far more than loopback's socket buffers hold. */
  private static final int MAX_FRAMES_UNTIL_FULL = 50_000;

  private Vertx vertx;
  private HttpServer server;
  private volatile boolean tuned;
  private volatile Consumer<ServerWebSocket> onOpen;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    // upgraded the way GatewayVerticle does: through vertx-web's request
    router.get("/ws").handler(ctx -> ctx.request().toWebSocket().onSuccess(ws -> {
      tuned = GatewayVerticle.tune(ctx.request().connection());
      onOpen.accept(ws);
    }));
    server = TestClient.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    TestClient.await(vertx.close());
  }

  @Test
  void aLoneFrameWrittenOnATimerGoesOut(VertxTestContext test) {
    onOpen = ws -> vertx.setTimer(20, id -> ws.writeTextMessage("alone"));
    connect().onComplete(test.succeeding(client -> client.textMessageHandler(text -> test.verify(() -> {
      assertTrue(tuned, "flush consolidation and direct writes installed");
      assertEquals("alone", text);
      test.completeNow();
    }))));
  }

  @Test
  void aBurstOutsideAReadArrivesInOrderAndBeforeTheClose(VertxTestContext test) {
    onOpen = ws -> vertx.setTimer(20, id -> {
      for (int i = 0; i < BURST; i++) {
        ws.writeTextMessage(Integer.toString(i));
      }
      ws.close();
    });
    expectBurstThenClose(test);
  }

  @Test
  void framesOfQueuedTasksArriveInOrderAndBeforeTheClose(VertxTestContext test) {
    // one task per frame, all queued at once: their flushes are deferred and merged
    onOpen = ws -> vertx.setTimer(20, id -> {
      for (int i = 0; i < BURST; i++) {
        String text = Integer.toString(i);
        boolean last = i == BURST - 1;
        vertx.getOrCreateContext().runOnContext(v -> {
          ws.writeTextMessage(text);
          if (last) {
            ws.close();
          }
        });
      }
    });
    expectBurstThenClose(test);
  }

  @Test
  void aReaderThatStopsFillsTheWriteQueueAndItsResumeDrainsIt(VertxTestContext test) {
    String payload = "x".repeat(1_000);
    Promise<Integer> full = Promise.promise();
    onOpen = ws -> {
      ws.setWriteQueueMaxSize(64 * 1024);
      // the client reads nothing yet: write until the socket's buffers and the queue are full
      vertx.setTimer(20, id -> {
        int frames = 0;
        while (!ws.writeQueueFull() && frames < MAX_FRAMES_UNTIL_FULL) {
          ws.writeTextMessage(frames++ + ":" + payload);
        }
        int sent = frames;
        test.verify(() -> assertTrue(ws.writeQueueFull(), "write queue full after " + sent + " frames"));
        ws.drainHandler(v -> ws.close());
        full.complete(sent);
      });
    };
    List<String> received = new ArrayList<>();
    connect().onComplete(test.succeeding(client -> {
      client.pause();
      client.textMessageHandler(received::add);
      full.future().onSuccess(sent -> client.resume());
      client.closeHandler(v -> test.verify(() -> {
        assertEquals(full.future().result(), received.size(), "every frame written before the queue was full");
        for (int i = 0; i < received.size(); i++) {
          assertEquals(i + ":" + payload, received.get(i));
        }
        test.completeNow();
      }));
    }));
  }

  private void expectBurstThenClose(VertxTestContext test) {
    List<String> received = new ArrayList<>();
    connect().onComplete(test.succeeding(client -> {
      client.textMessageHandler(received::add);
      client.closeHandler(v -> test.verify(() -> {
        assertEquals(BURST, received.size());
        for (int i = 0; i < BURST; i++) {
          assertEquals(Integer.toString(i), received.get(i));
        }
        test.completeNow();
      }));
    }));
  }

  private Future<WebSocket> connect() {
    WebSocketClient client = vertx.createWebSocketClient();
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/ws"));
  }
}
