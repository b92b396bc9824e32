package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
 * Frames written outside a read (as publications are) go out although their flush is
 * deferred, in order, also the last ones before a close; the consolidation is installed on the
 * connections of the Vert.x in use (a version that hides the channel would silently lose it).
 */
@ExtendWith(VertxExtension.class)
class FlushCoalescingTest {

  private static final int BURST = 2_000;

  private Vertx vertx;
  private HttpServer server;
  private volatile boolean installed;
  private volatile Consumer<ServerWebSocket> onOpen;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    // upgraded the way GatewayVerticle does: through vertx-web's request
    router.get("/ws").handler(ctx -> ctx.request().toWebSocket().onSuccess(ws -> {
      installed = FlushCoalescing.install(ctx.request().connection());
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
      assertTrue(installed, "flush consolidation installed");
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
