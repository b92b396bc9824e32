package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests, speaking the envelope: every frame received is kept in
 * order until a test takes it with {@link #next} or {@link #nextMatching}.
 */
public final class TestClient {

  public static final long AWAIT_SECONDS = 20;

  private final WebSocketClient client;
  private final WebSocket ws;
  private final List<JsonObject> received = new ArrayList<>();
  private final Queue<Waiter> waiters = new ArrayDeque<>();
  private final Promise<Short> closed = Promise.promise();
  private int requestIds;
  /** The raw text of every frame, kept only once {@link #keepTexts} asked for it (load tests receive a lot). */
  private List<String> texts;

  private TestClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> {
      keepText(text);
      receive(new JsonObject(text));
    });
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
  }

  public static Future<TestClient> connect(Vertx vertx, int port) {
    return connect(vertx, port, "/ws");
  }

  public static Future<TestClient> connect(Vertx vertx, int port, String path) {
    return connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path));
  }

  /** Connects with the given options (headers, ...); fails with the HTTP status when refused. */
  public static Future<TestClient> connect(Vertx vertx, WebSocketConnectOptions options) {
    return connect(vertx, options, new WebSocketClientOptions());
  }

  /** Connects with the given connect and client options (TLS trust, ...). */
  public static Future<TestClient> connect(Vertx vertx, WebSocketConnectOptions options, WebSocketClientOptions clientOptions) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions(clientOptions)
      .setMaxFrameSize(16 * 1024 * 1024)
      .setMaxMessageSize(64 * 1024 * 1024));
    return client.connect(options)
      .map(ws -> new TestClient(client, ws))
      .onFailure(err -> client.close());
  }

  /** The HTTP status an upgrade was refused with. */
  public static int refusedWith(Future<TestClient> connecting) {
    try {
      connecting.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof io.vertx.core.http.UpgradeRejectedException) {
        return ((io.vertx.core.http.UpgradeRejectedException) e.getCause()).getStatus();
      }
      throw new AssertionError("failed otherwise: " + e.getCause(), e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the upgrade was accepted");
  }

  /** Blocks the (non Vert.x) test thread for a future, failing after {@link #AWAIT_SECONDS}. */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not completed within " + AWAIT_SECONDS + " s: " + e, e);
    }
  }

  public WebSocket socket() {
    return ws;
  }

  public TestClient send(JsonObject frame) {
    ws.writeTextMessage(frame.encode());
    return this;
  }

  public TestClient sendText(String text) {
    ws.writeTextMessage(text);
    return this;
  }

  public TestClient sendFrame(WebSocketFrame frame) {
    ws.writeFrame(frame);
    return this;
  }

  /** The next frame received, in order. */
  public Future<JsonObject> next() {
    return nextMatching(frame -> true);
  }

  /** The first frame received (or yet to come) that matches; earlier ones stay for {@link #next}. */
  public synchronized Future<JsonObject> nextMatching(Predicate<JsonObject> predicate) {
    Iterator<JsonObject> it = received.iterator();
    while (it.hasNext()) {
      JsonObject frame = it.next();
      if (predicate.test(frame)) {
        it.remove();
        return Future.succeededFuture(frame);
      }
    }
    Waiter waiter = new Waiter(predicate);
    waiters.add(waiter);
    return waiter.promise.future();
  }

  /** The final response to request {@code id}, skipping its intermediate responses. */
  public Future<JsonObject> finalResponse(Object id) {
    return nextMatching(f -> "res".equals(f.getString("action")) && id.equals(f.getValue("id")) && !f.getBoolean("more", false));
  }

  /** Sends a request with a fresh id and returns its final response. */
  public Future<JsonObject> request(String command, JsonObject kwargs) {
    String id = "r" + (++requestIds);
    send(req(command, id, kwargs));
    return finalResponse(id);
  }

  /** Subscribes and returns the ack. */
  public Future<JsonObject> subscribe(String... topics) {
    String id = "s" + (++requestIds);
    send(new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", new JsonArray(List.of(topics))).put("id", id));
    return nextMatching(f -> "ack".equals(f.getString("action")) && id.equals(f.getValue("id")));
  }

  /** From now on, keeps the text of every frame received, exactly as it came on the wire. */
  public synchronized TestClient keepTexts() {
    texts = new ArrayList<>();
    return this;
  }

  /** The texts kept since {@link #keepTexts}, in order. */
  public synchronized List<String> texts() {
    return new ArrayList<>(texts);
  }

  private synchronized void keepText(String text) {
    if (texts != null) {
      texts.add(text);
    }
  }

  /** Frames received and not yet taken. */
  public synchronized List<JsonObject> pending() {
    return new ArrayList<>(received);
  }

  /** The close code the server sent (or the client saw), once closed. */
  public Future<Short> closed() {
    return closed.future();
  }

  public Future<Void> close() {
    return ws.close().eventually(client::close);
  }

  public static JsonObject req(String command, Object id, JsonObject kwargs) {
    JsonObject frame = new JsonObject().put("mode", "req_res").put("action", "req").put("command", command);
    if (id != null) {
      frame.put("id", id);
    }
    if (kwargs != null) {
      frame.put("kwargs", kwargs);
    }
    return frame;
  }

  public static JsonObject pub(String topic, Object data) {
    return new JsonObject().put("mode", "pub_sub").put("action", "pub").put("topic", topic).put("code", 200)
      .put("msg", "").put("data", data);
  }

  private synchronized void receive(JsonObject frame) {
    Iterator<Waiter> it = waiters.iterator();
    while (it.hasNext()) {
      Waiter waiter = it.next();
      if (waiter.predicate.test(frame)) {
        it.remove();
        waiter.promise.complete(frame);
        return;
      }
    }
    received.add(frame);
  }

  private static final class Waiter {

    final Predicate<JsonObject> predicate;
    final Promise<JsonObject> promise = Promise.promise();

    Waiter(Predicate<JsonObject> predicate) {
      this.predicate = predicate;
    }
  }
}
