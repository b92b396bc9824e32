package org.jwws.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The envelope of PROTOCOL.md over one WebSocket, on Vert.x's {@link WebSocketClient}; the Java
 * twin of {@code clients/js/jw-gateway.js}. Nothing blocks: every answer is a {@link Future},
 * completed on the client's context (the one current when it was created), where its state
 * lives; its methods may be called from any thread.
 * <p>
 * It connects by itself, and after a lost connection reconnects with capped exponential
 * backoff and jitter and re-subscribes every topic; requests in flight at a disconnect fail
 * with 503 (their handlers were told the client went).
 */
public final class GatewayClient {

  private final Vertx vertx;
  private final Context context;
  private final ClientOptions options;
  private final WebSocketClient sockets;
  private final WebSocketConnectOptions connectOptions;
  private final AtomicLong nextId = new AtomicLong();
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<String, Set<Handler<JsonObject>>> topics = new LinkedHashMap<>();
  /** Frames written while not connected, sent once the socket opens. */
  private final List<JsonObject> outbox = new ArrayList<>();
  /** Frames received while deliveries are paused, at most {@link ClientOptions#getMaxInboundQueue()}. */
  private final Deque<JsonObject> inbound = new ArrayDeque<>();
  private final Promise<Void> opened = Promise.promise();
  /** Written on the client's context; volatile for {@link #isConnected()} from other threads. */
  private volatile WebSocket socket;
  private boolean everOpened;
  private boolean closed;
  private boolean paused;
  private boolean socketPaused;
  private int attempt;
  private long reconnectTimer = -1;
  private Handler<Short> closeHandler = code -> { };
  private Handler<Void> reconnectHandler = v -> { };
  private Handler<Throwable> exceptionHandler = err -> { };
  private Handler<JsonObject> messageHandler = frame -> { };

  private GatewayClient(Vertx vertx, ClientOptions options) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxMessageSize(options.getMaxMessageSize()).setMaxFrameSize(options.getMaxMessageSize()));
    this.connectOptions = new WebSocketConnectOptions().setAbsoluteURI(options.getUrl());
    if (options.getToken() != null) {
      connectOptions.putHeader("Authorization", "Bearer " + options.getToken());
    }
  }

  /** Creates a client and starts connecting; {@link #opened()} completes on the first open. */
  public static GatewayClient connect(Vertx vertx, ClientOptions options) {
    GatewayClient client = new GatewayClient(vertx, options);
    client.onContext(client::open);
    return client;
  }

  /** Completes on the first open; fails if that cannot happen (first attempt refused without reconnect, or closed). */
  public Future<Void> opened() {
    return opened.future();
  }

  /** True while the WebSocket is open. */
  public boolean isConnected() {
    return socket != null;
  }

  /** Sends a request with the client's timeout and no progress handler. */
  public Call request(String command, JsonArray args, JsonObject kwargs) {
    return request(command, args, kwargs, new RequestOptions());
  }

  /**
   * Sends a request; its future completes with the final 200 response and fails with a
   * {@link GatewayException} for any other code (504 when nothing came within the timeout,
   * the client having sent a cancel then). Intermediate responses go to the progress handler.
   */
  public Call request(String command, JsonArray args, JsonObject kwargs, RequestOptions requestOptions) {
    String id = id();
    Promise<JsonObject> answer = Promise.promise();
    onContext(() -> {
      track(id, new Pending(answer, requestOptions.getProgressHandler()), timeout(requestOptions.getTimeoutMs()),
        "no answer", () -> sendCancel(id));
      send(requestFrame(id, command, args, kwargs));
    });
    return new Call(id, answer.future(), () -> cancel(id));
  }

  /** Opens a multi-round conversation (see {@link Dialogue}) with the client's timeout. */
  public Dialogue dialogue(String command, JsonArray args, JsonObject kwargs) {
    return dialogue(command, args, kwargs, 0);
  }

  /** Opens a multi-round conversation whose whole length is bounded by {@code timeoutMs} (0: the client's). */
  public Dialogue dialogue(String command, JsonArray args, JsonObject kwargs, long timeoutMs) {
    String id = id();
    Dialogue dialogue = new Dialogue(this, id, command);
    Promise<JsonObject> done = Promise.promise();
    dialogue.ended(done.future());
    onContext(() -> {
      track(id, new Pending(done, dialogue::answer), timeout(timeoutMs), "no answer", () -> sendCancel(id));
      send(requestFrame(id, command, args, kwargs));
    });
    return dialogue;
  }

  /** {@link #subscribe(List, Handler)} for one topic. */
  public Future<JsonObject> subscribe(String topic, Handler<JsonObject> handler) {
    return subscribe(List.of(topic), handler);
  }

  /**
   * Subscribes {@code handler} (may be null) to the topics; completes with the ack (the whole
   * frame: protocol v2 adds to it what a {@code since} subscription recovered) once the
   * subscription is live, fails with its code (403, 429, ...) and forgets the handler if refused.
   */
  public Future<JsonObject> subscribe(List<String> names, Handler<JsonObject> handler) {
    Promise<JsonObject> ack = Promise.promise();
    onContext(() -> {
      for (String name : names) {
        Set<Handler<JsonObject>> handlers = topics.computeIfAbsent(name, key -> new LinkedHashSet<>());
        if (handler != null) {
          handlers.add(handler);
        }
      }
      acked(subscribeFrame(names)).onComplete(ack).onFailure(err -> {
        // refused (400, 403, 429): never re-subscribed; a lost connection (503) is, on reconnect
        if (err instanceof GatewayException refused && refused.code() < 500) {
          forget(names, handler);
        }
      });
    });
    return ack.future();
  }

  /** Removes {@code handler} (null: every handler) and unsubscribes the topics nobody listens to any more. */
  public Future<JsonObject> unsubscribe(List<String> names, Handler<JsonObject> handler) {
    Promise<JsonObject> ack = Promise.promise();
    onContext(() -> {
      List<String> gone = forget(names, handler);
      if (gone.isEmpty()) {
        ack.complete(null);
      } else {
        acked(new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", new JsonArray(gone))).onComplete(ack);
      }
    });
    return ack.future();
  }

  /** Publishes without an ack: completes (with null) once handed to the socket or the outbox. */
  public Future<JsonObject> publish(String topic, Object data) {
    return publish(topic, data, new PublishOptions());
  }

  /** Publishes; with {@link PublishOptions#setAck(boolean)} completes with the gateway's ack, failing with its code if refused. */
  public Future<JsonObject> publish(String topic, Object data, PublishOptions publishOptions) {
    JsonObject frame = new JsonObject().put("mode", "pub_sub").put("action", "pub").put("topic", topic)
      .put("code", publishOptions.getCode()).put("msg", publishOptions.getMsg()).put("data", data);
    Promise<JsonObject> done = Promise.promise();
    onContext(() -> {
      if (publishOptions.isAck()) {
        acked(frame).onComplete(done);
      } else {
        send(frame);
        done.complete(null);
      }
    });
    return done.future();
  }

  /**
   * Stops handing frames to handlers and futures: they wait in the inbound queue, in order.
   * When the queue reaches {@link ClientOptions#getMaxInboundQueue()} the client stops reading
   * the socket, so the gateway sees a slow consumer (1013 close, or drops on drop-oldest
   * topics). Requests keep their timeouts meanwhile.
   */
  public void pause() {
    onContext(() -> paused = true);
  }

  /** Hands the queued frames on, in order, and reads the socket again. */
  public void resume() {
    onContext(() -> {
      paused = false;
      while (!paused && !inbound.isEmpty()) {
        dispatch(inbound.poll());
      }
      if (socketPaused && socket != null) {
        socketPaused = false;
        socket.resume();
      }
    });
  }

  /** Frames waiting in the inbound queue. */
  public Future<Integer> inboundQueued() {
    Promise<Integer> size = Promise.promise();
    onContext(() -> size.complete(inbound.size()));
    return size.future();
  }

  /** Gets the close code (null: no close frame) each time a connection ends. */
  public GatewayClient closeHandler(Handler<Short> handler) {
    this.closeHandler = handler;
    return this;
  }

  /** Called after a reconnect, once the re-subscription was acknowledged (or failed: see the exception handler). */
  public GatewayClient reconnectHandler(Handler<Void> handler) {
    this.reconnectHandler = handler;
    return this;
  }

  /** Gets what no future can: an answer for nobody, a failed re-subscription, a handler's exception, a socket error. */
  public GatewayClient exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  /** Gets server pushes (broadcasts, direct messages): frames that are no answer and no publication. */
  public GatewayClient messageHandler(Handler<JsonObject> handler) {
    this.messageHandler = handler;
    return this;
  }

  /** Closes for good: no reconnect; open requests fail with 503. */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      closed = true;
      vertx.cancelTimer(reconnectTimer);
      failAll("client closed");
      opened.tryFail(new GatewayException(503, "client closed", null));
      WebSocket open = socket;
      Future<Void> closing = open == null ? Future.succeededFuture() : open.close((short) 1000);
      closing.eventually(sockets::close).onComplete(done);
    });
    return done.future();
  }

  void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  void sendRound(String id, String command, JsonArray args, JsonObject kwargs) {
    send(requestFrame(id, command, args, kwargs));
  }

  /** Sends a cancel if the request is still open: its answer (499) settles it. */
  void cancel(String id) {
    onContext(() -> {
      if (pending.containsKey(id)) {
        sendCancel(id);
      }
    });
  }

  private void sendCancel(String id) {
    send(new JsonObject().put("mode", "req_res").put("action", "cancel").put("id", id));
  }

  private static JsonObject requestFrame(String id, String command, JsonArray args, JsonObject kwargs) {
    return new JsonObject().put("mode", "req_res").put("action", "req").put("command", command).put("id", id)
      .put("args", args == null ? new JsonArray() : args).put("kwargs", kwargs == null ? new JsonObject() : kwargs);
  }

  /** The one place a sub frame is built: protocol v2's {@code since} goes here. */
  private static JsonObject subscribeFrame(List<String> names) {
    return new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", new JsonArray(new ArrayList<>(names)));
  }

  /** Removes the handler from the topics; returns the topics left with no handler (forgotten). */
  private List<String> forget(List<String> names, Handler<JsonObject> handler) {
    List<String> gone = new ArrayList<>();
    for (String name : names) {
      Set<Handler<JsonObject>> handlers = topics.get(name);
      if (handler != null && handlers != null) {
        handlers.remove(handler);
        if (!handlers.isEmpty()) {
          continue;
        }
      }
      topics.remove(name);
      gone.add(name);
    }
    return gone;
  }

  private long timeout(long requested) {
    return requested > 0 ? requested : options.getTimeoutMs();
  }

  private String id() {
    return "j" + nextId.incrementAndGet();
  }

  private Future<JsonObject> acked(JsonObject frame) {
    String id = id();
    Promise<JsonObject> ack = Promise.promise();
    track(id, new Pending(ack, null), options.getTimeoutMs(), "no acknowledgement", null);
    send(frame.put("id", id));
    return ack.future();
  }

  /** Registers an answer that fails with 504 after {@code timeoutMs}, after {@code onTimeout} ran. */
  private void track(String id, Pending entry, long timeoutMs, String message, Runnable onTimeout) {
    entry.timer = vertx.setTimer(timeoutMs, t -> {
      if (onTimeout != null) {
        onTimeout.run();
      }
      settle(id, new GatewayException(504, message + " within " + timeoutMs + " ms", null), null);
    });
    pending.put(id, entry);
  }

  private void send(JsonObject frame) {
    if (socket != null) {
      socket.writeTextMessage(frame.encode()).onFailure(this::error);
    } else {
      outbox.add(frame);
    }
  }

  private void open() {
    sockets.connect(connectOptions).onComplete(result -> {
      if (result.failed()) {
        error(result.cause());
        if (!options.isReconnect() && !everOpened) {
          opened.tryFail(new GatewayException(503, "connection failed: " + result.cause().getMessage(), null));
        }
        ended(null, null);
        return;
      }
      WebSocket opening = result.result();
      if (closed) {
        opening.close((short) 1000);
        return;
      }
      socket = opening;
      socketPaused = false;
      opening.textMessageHandler(this::received);
      opening.exceptionHandler(this::error);
      opening.closeHandler(v -> ended(opening, opening.closeStatusCode()));
      boolean reconnected = everOpened;
      everOpened = true;
      attempt = 0;
      if (reconnected) {
        Future<JsonObject> resubscribed = topics.isEmpty() ? Future.succeededFuture()
          : acked(subscribeFrame(new ArrayList<>(topics.keySet())));
        resubscribed.onFailure(this::error).onComplete(ar -> reconnectHandler.handle(null));
      }
      List<JsonObject> queued = new ArrayList<>(outbox);
      outbox.clear();
      queued.forEach(this::send);
      opened.tryComplete();
    });
  }

  /** The end of one socket (null: a connection attempt that failed). */
  private void ended(WebSocket ended, Short code) {
    if (ended != socket) {
      return;
    }
    socket = null;
    // a request cannot survive its connection: the gateway told its handler the client went
    failAll("connection lost (" + code + ")");
    if (ended != null) {
      closeHandler.handle(code);
    }
    if (!closed && options.isReconnect()) {
      long ceiling = Math.min(options.getMaxDelayMs(), options.getMinDelayMs() << Math.min(attempt, 20));
      long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
      attempt++;
      reconnectTimer = vertx.setTimer(Math.max(1, delay), t -> open());
    }
  }

  private void received(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException notAnObject) {
      error(new GatewayException(400, "frame is not a JSON object", null));
      return;
    }
    if (!paused && inbound.isEmpty()) {
      dispatch(frame);
      return;
    }
    inbound.add(frame);
    if (inbound.size() >= options.getMaxInboundQueue() && !socketPaused && socket != null) {
      socketPaused = true;
      socket.pause();
    }
  }

  private void dispatch(JsonObject frame) {
    if ("pub".equals(frame.getValue("action"))) {
      publication(frame);
      return;
    }
    Object id = frame.getValue("id");
    Pending entry = id instanceof String key ? pending.get(key) : null;
    int code = frame.getValue("code") instanceof Number number ? number.intValue() : 200;
    if (entry == null) {
      if (code != 200) {
        error(new GatewayException(code, frame.getString("msg", ""), frame));
      } else {
        messageHandler.handle(frame);
      }
      return;
    }
    if (Boolean.TRUE.equals(frame.getValue("more"))) {
      if (entry.progress != null) {
        entry.progress.handle(frame);
      }
      return;
    }
    settle((String) id, code == 200 ? null : new GatewayException(code, String.valueOf(frame.getValue("msg", "")), frame), frame);
  }

  private void publication(JsonObject frame) {
    Set<Handler<JsonObject>> handlers = topics.get(String.valueOf(frame.getValue("topic")));
    if (handlers == null) {
      return;
    }
    for (Handler<JsonObject> handler : List.copyOf(handlers)) {
      try {
        handler.handle(frame);
      } catch (RuntimeException err) {
        error(err);
      }
    }
  }

  private void settle(String id, GatewayException error, JsonObject frame) {
    Pending entry = pending.remove(id);
    if (entry == null) {
      return;
    }
    vertx.cancelTimer(entry.timer);
    if (error != null) {
      entry.answer.tryFail(error);
    } else {
      entry.answer.tryComplete(frame);
    }
  }

  private void failAll(String reason) {
    for (String id : List.copyOf(pending.keySet())) {
      settle(id, new GatewayException(503, reason, null), null);
    }
    // topics are re-subscribed on reconnect; anything else queued belonged to a failed request
    outbox.clear();
  }

  private void error(Throwable err) {
    exceptionHandler.handle(err);
  }

  /** An answer the client waits for. */
  private static final class Pending {

    final Promise<JsonObject> answer;
    final Handler<JsonObject> progress;
    long timer;

    Pending(Promise<JsonObject> answer, Handler<JsonObject> progress) {
      this.answer = answer;
      this.progress = progress;
    }
  }
}
