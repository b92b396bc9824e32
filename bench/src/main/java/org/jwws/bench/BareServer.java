package org.jwws.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference: a bare Vert.x WebSocket server doing the benchmark's work with no event bus
 * and no envelope handling. A frame containing {@code "action":"sub"} makes the sender a
 * subscriber (acknowledged with a fixed frame); one containing {@code "action":"pub"} is
 * written as it is to every subscriber; anything else is echoed back. One verticle instance
 * per core, like the gateway.
 */
public final class BareServer extends VerticleBase {

  static final String ACK = "{\"mode\":\"pub_sub\",\"action\":\"ack\",\"code\":200,\"msg\":\"success\",\"topic\":[\"bench\"]}";
  private static final Set<ServerWebSocket> SUBSCRIBERS = ConcurrentHashMap.newKeySet();

  private final int port;

  BareServer(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    int requested = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    // port 0 is not shared between instances (each would get a random port of its own): -1 is
    // Vert.x's shared random port, as the gateway asks for it
    int port = requested == 0 ? -1 : requested;
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new BareServer(port), new DeploymentOptions().setInstances(instances))
      .onSuccess(id -> System.out.println("bare server ready on port " + SharedPort.value))
      .onFailure(err -> {
        err.printStackTrace();
        System.exit(1);
      });
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions())
      .webSocketHandler(this::serve)
      .listen(port, "127.0.0.1")
      .onSuccess(server -> SharedPort.value = server.actualPort());
  }

  private void serve(ServerWebSocket ws) {
    ws.closeHandler(v -> SUBSCRIBERS.remove(ws));
    ws.textMessageHandler(text -> {
      if (text.contains("\"action\":\"pub\"")) {
        for (ServerWebSocket subscriber : SUBSCRIBERS) {
          subscriber.writeTextMessage(text);
        }
      } else if (text.contains("\"action\":\"sub\"")) {
        SUBSCRIBERS.add(ws);
        ws.writeTextMessage(ACK);
      } else {
        ws.writeTextMessage(text);
      }
    });
  }

  /** The port the instances share (they all listen on the same requested port). */
  private static final class SharedPort {
    static volatile int value;
  }
}
