package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import org.jwws.shared.Status;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.Headers;
import org.jwws.shared.internal.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's side of history topics: which topics have history (the first matching rule), the
 * appends (batched per topic, in arrival order, one in flight at a time) and the publication
 * of appended frames with their offset, and the reads of recovery and the {@code history}
 * action. Topics without history never get here.
 */
final class TopicHistory {

  private static final Logger log = LoggerFactory.getLogger(TopicHistory.class);
  static final String OFFSET = "offset";
  static final String EPOCH = "epoch";
  private static final int MAX_BATCH = 100;
  /** A store read that takes longer fails: a recovery or a replay never waits for ever on a stuck store. */
  static final long READ_TIMEOUT_MS = 10_000;
  private static final int MAX_CACHED_TOPICS = 10_000;

  private final Vertx vertx;
  private final HistoryStore store;
  private final List<HistoryRule> rules;
  private final Map<String, Appender> appenders = new HashMap<>();
  private final Map<String, Optional<HistoryRule>> ruleOf = new ConcurrentHashMap<>();
  private MessageConsumer<Object> appendConsumer;

  TopicHistory(Vertx vertx, HistoryStore store, List<HistoryRule> rules) {
    this.vertx = vertx;
    this.store = store;
    this.rules = List.copyOf(rules);
  }

  /** Registers {@value Addresses#HISTORY_APPEND} when history is configured, and tells {@code Backend} the globs. */
  Future<Void> start() {
    if (rules.isEmpty()) {
      return Future.succeededFuture();
    }
    LocalMap<String, JsonArray> topics = vertx.sharedData().getLocalMap(Addresses.HISTORY_TOPICS_MAP);
    JsonArray globs = new JsonArray();
    rules.forEach(rule -> globs.add(rule.topics()));
    topics.put("globs", globs);
    appendConsumer = vertx.eventBus().consumer(Addresses.HISTORY_APPEND, this::appendMessage);
    return appendConsumer.completion();
  }

  Future<Void> stop() {
    return appendConsumer == null ? Future.succeededFuture() : appendConsumer.unregister();
  }

  /**
   * The rule of a topic, null when it has no history. The topic consumer looks it up once per
   * registration; publishers once per topic name (cached, the cache bounded).
   */
  HistoryRule rule(String topic) {
    if (rules.isEmpty()) {
      return null;
    }
    Optional<HistoryRule> known = ruleOf.get(topic);
    if (known == null) {
      known = rules.stream().filter(rule -> rule.matches(topic)).findFirst();
      if (ruleOf.size() >= MAX_CACHED_TOPICS) {
        ruleOf.clear();
      }
      ruleOf.put(topic, known);
    }
    return known.orElse(null);
  }

  HistoryStore store() {
    return store;
  }

  /**
   * Stores a publication (its frame without offset or epoch) and then publishes it on
   * {@code topic.<name>} with both; completes with its offset.
   */
  Future<Long> publish(String topic, HistoryRule rule, JsonObject frame) {
    frame.remove(OFFSET);
    frame.remove(EPOCH);
    Promise<Long> appended = Promise.promise();
    Appender appender;
    synchronized (appenders) {
      appender = appenders.computeIfAbsent(topic, t -> new Appender(t, rule));
      appender.queue.add(new Pending(frame.encode(), appended));
      if (appender.inFlight) {
        return appended.future();
      }
      appender.inFlight = true;
    }
    appender.flush();
    return appended.future();
  }

  /**
   * Publications held from {@code fromOffset} on that are younger than the rule's TTL, oldest
   * first, at most {@code max}, as client frames.
   */
  Future<List<Stored>> read(String topic, HistoryRule rule, long fromOffset, int max) {
    long oldest = System.currentTimeMillis() - rule.ttlMs();
    return store.read(topic, rule.size(), fromOffset, max).timeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS).map(items -> {
      List<Stored> fresh = new ArrayList<>(items.size());
      for (HistoryStore.Stored item : items) {
        if (item.timeMs >= oldest) {
          fresh.add(new Stored(item.offset, item.frame));
        }
      }
      return fresh;
    });
  }

  Future<HistoryStore.Position> position(String topic, HistoryRule rule) {
    return store.position(topic, rule.size()).timeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** A stored frame as delivered: {@code offset} and {@code epoch} put in front, no re-encoding. */
  static String withOffset(String frame, long offset, String epoch) {
    String head = "{\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\"";
    String rest = frame.substring(frame.indexOf('{') + 1).trim();
    return rest.startsWith("}") ? head + "}" : head + "," + rest;
  }

  static DeliveryOptions headers(long offset, String epoch) {
    return new DeliveryOptions().addHeader(Headers.OFFSET, Long.toString(offset)).addHeader(Headers.EPOCH, epoch);
  }

  /** Backend code's publications for history topics: stored and published, answered with the offset. */
  private void appendMessage(Message<Object> message) {
    JsonObject frame;
    try {
      frame = message.body() instanceof JsonObject ? ((JsonObject) message.body()).copy() : new JsonObject(Frames.pushText(message.body()));
    } catch (RuntimeException notAFrame) {
      message.fail(Status.BAD_REQUEST, "a publication is a JSON object");
      return;
    }
    String topic = message.headers().get(Headers.TOPIC);
    if (topic == null && frame.getValue(Envelope.TOPIC) instanceof String) {
      topic = (String) frame.getValue(Envelope.TOPIC);
    }
    if (topic == null || !Names.isValid(topic)) {
      message.fail(Status.BAD_REQUEST, "invalid topic name: " + topic);
      return;
    }
    // filled in when missing, as on topic.<name>; the topic is the one it is stored under
    frame.getMap().putIfAbsent(Envelope.MODE, Envelope.MODE_PUB_SUB);
    frame.getMap().putIfAbsent(Envelope.ACTION, Envelope.ACTION_PUB);
    frame.put(Envelope.TOPIC, topic);
    HistoryRule rule = rule(topic);
    if (rule == null) {
      // this node's config has no history for it: a plain publication
      vertx.eventBus().publish(Addresses.topic(topic), frame.encode());
      message.reply(new JsonObject().putNull(OFFSET));
      return;
    }
    publish(topic, rule, frame).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(new JsonObject().put(OFFSET, ar.result()));
      } else {
        message.fail(Status.UNAVAILABLE, "history unavailable: " + ar.cause().getMessage());
      }
    });
  }

  /** A held publication as a client receives it. */
  static final class Stored {
    final long offset;
    final String frame;

    Stored(long offset, String frame) {
      this.offset = offset;
      this.frame = frame;
    }
  }

  private static final class Pending {
    final String frame;
    final Promise<Long> appended;

    Pending(String frame, Promise<Long> appended) {
      this.frame = frame;
      this.appended = appended;
    }
  }

  /** One topic's appends on this node: batches in arrival order, so one publisher's order is kept. */
  private final class Appender {
    final String topic;
    final HistoryRule rule;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    boolean inFlight;

    Appender(String topic, HistoryRule rule) {
      this.topic = topic;
      this.rule = rule;
    }

    /** Called with {@code inFlight} set by the caller. */
    void flush() {
      List<Pending> batch = new ArrayList<>();
      synchronized (appenders) {
        while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
          batch.add(queue.poll());
        }
      }
      List<String> frames = new ArrayList<>(batch.size());
      batch.forEach(pending -> frames.add(pending.frame));
      store.append(topic, rule.size(), frames, System.currentTimeMillis()).onComplete(ar -> {
        for (int i = 0; i < batch.size(); i++) {
          Pending pending = batch.get(i);
          if (ar.succeeded()) {
            long offset = ar.result().firstOffset + i;
            String epoch = ar.result().epoch;
            vertx.eventBus().publish(Addresses.topic(topic), withOffset(pending.frame, offset, epoch), headers(offset, epoch));
            pending.appended.complete(offset);
          } else {
            pending.appended.fail(ar.cause());
          }
        }
        if (ar.failed()) {
          log.warn("history append on {} failed: {}", topic, ar.cause().toString());
        }
        boolean more;
        synchronized (appenders) {
          more = !queue.isEmpty();
          if (!more) {
            inFlight = false;
            appenders.remove(topic, this);
          }
        }
        if (more) {
          flush();
        }
      });
    }
  }
}
