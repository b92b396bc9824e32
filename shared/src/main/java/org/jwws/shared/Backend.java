package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.FlowMarkers;
import org.jwws.shared.internal.Glob;
import org.jwws.shared.internal.Headers;
import org.jwws.shared.internal.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How backend code anywhere in the cluster reaches clients: publish to a topic, broadcast to
 * every client, push to one connection. It needs no WebSocket of its own, only a (clustered)
 * Vert.x instance. Frames are encoded once here and passed on as text.
 */
public final class Backend {

  private static final Logger log = LoggerFactory.getLogger(Backend.class);

  /** History publications of one backend that may wait for their append (each holds its frame). */
  public static final int MAX_APPENDS_WAITING = 4_096;

  private final Vertx vertx;
  private final EventBus eventBus;
  private final PublishWindows windows;
  private final String src;
  /** The node's history topics, as its gateway config names them (empty: none). */
  private final List<Glob> historyTopics = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Per history topic, the last append asked for: the next waits for it, so this backend's order is kept. */
  private final Map<String, Future<?>> appending = new HashMap<>();
  /** Under the {@code appending} lock: appends asked for and not answered yet. */
  private int appendsWaiting;

  private Backend(Vertx vertx, String src) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.windows = PublishWindows.of(vertx);
    this.src = src;
    Object globs = vertx.sharedData().getLocalMap(Addresses.HISTORY_TOPICS_MAP).get("globs");
    if (globs instanceof JsonArray) {
      ((JsonArray) globs).forEach(glob -> historyTopics.add(Glob.of((String) glob)));
    }
  }

  /** @param src the {@code src} written into the frames this backend sends, may be null */
  public static Backend create(Vertx vertx, String src) {
    return new Backend(vertx, src);
  }

  /**
   * Names topics (globs) that have history, for a backend-only process: on a node, the node's
   * config tells every Backend already.
   */
  public Backend withHistoryTopics(String... globs) {
    for (String glob : globs) {
      historyTopics.add(Glob.of(glob));
    }
    return this;
  }

  /**
   * Publishes {@code {code, msg, data}} on a topic to its subscribers on every node. This
   * process holds at most {@link PublishWindows#window()} publications in flight per remote node
   * with subscribers; past that they wait, in order, at most {@link PublishWindows#maxQueued()}
   * of them. The future completes once the publication was handed to the event bus within the
   * window, and fails with {@link PublicationRefused} (not sent) when that queue is full: a
   * publisher in a loop waits for it before the next. A topic with history (the node's
   * {@code history} config) goes through {@link Addresses#HISTORY_APPEND} to get its offset
   * instead, one append in flight per topic, at most {@link #MAX_APPENDS_WAITING} waiting;
   * the future completes once it is stored and published. This backend's publications on a
   * topic keep their order.
   */
  public Future<Void> publish(String topic, int code, String msg, Object data) {
    requireValidName(topic);
    String frame = Envelope.publication(src, topic, code, msg, data).encode();
    if (historyTopics.isEmpty() || !Glob.anyMatches(historyTopics, topic)) {
      return windows.publish(topic, frame);
    }
    DeliveryOptions options = new DeliveryOptions().addHeader(Headers.TOPIC, topic);
    synchronized (appending) {
      if (appendsWaiting >= MAX_APPENDS_WAITING) {
        return Future.failedFuture(new PublicationRefused("publication refused: " + appendsWaiting
          + " publications of this backend already wait for their history append"));
      }
      appendsWaiting++;
      Future<?> previous = appending.getOrDefault(topic, Future.succeededFuture());
      Future<?> mine = previous.transform(ar -> eventBus.request(Addresses.HISTORY_APPEND, frame, options))
        .onFailure(err -> log.warn("publication on history topic {} lost: {}", topic, err.getMessage()));
      appending.put(topic, mine);
      mine.onComplete(ar -> {
        synchronized (appending) {
          appendsWaiting--;
          appending.remove(topic, mine);
        }
      });
      return mine.mapEmpty();
    }
  }

  /** Writes an envelope to every client on every gateway node. */
  public void broadcast(JsonObject envelope) {
    eventBus.publish(Addresses.BROADCAST, envelope.encode());
  }

  /**
   * Writes an envelope to one client, addressed by {@link CommandRequest#connection()}.
   * Nothing happens if that client has gone.
   */
  public void push(String connection, JsonObject envelope) {
    if (connection == null || !connection.startsWith(Addresses.CONNECTION_PREFIX)) {
      throw new IllegalArgumentException("not a connection address: " + connection);
    }
    eventBus.send(connection, envelope.encode());
  }

  /**
   * Calls {@code handler} with every publication on {@code topic} reaching this process, from
   * clients or backend code on any node. Complete the returned consumer's
   * {@code completion()} before relying on it. Publishers on other nodes are credited once
   * {@code handler} returned: a handler that hands work elsewhere bounds that work itself.
   */
  public MessageConsumer<JsonObject> subscribe(String topic, Handler<JsonObject> handler) {
    requireValidName(topic);
    return eventBus.consumer(Addresses.topic(topic), message -> {
      if (FlowMarkers.isMarker(message)) {
        FlowMarkers.credit(vertx, topic, message);
        return;
      }
      JsonObject publication = asJson(message.body());
      if (publication != null) {
        handler.handle(publication);
      }
    });
  }

  private static JsonObject asJson(Object body) {
    try {
      if (body instanceof JsonObject) {
        return (JsonObject) body;
      }
      if (body instanceof String) {
        return new JsonObject((String) body);
      }
      if (body instanceof Buffer) {
        return new JsonObject((Buffer) body);
      }
    } catch (DecodeException notJson) {
      return null;
    }
    return null;
  }

  private static void requireValidName(String topic) {
    if (!Names.isValid(topic)) {
      throw new IllegalArgumentException("invalid topic name: " + topic);
    }
  }
}
