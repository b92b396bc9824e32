package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Status;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.Envelope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pub/sub side of one connection: its subscriptions (sub, unsub) and publications (pub),
 * with their limit, permissions and rate limits, and on close the end of every subscription.
 * The node's {@link TopicRegistry} serves the connection as a {@link Recipient}. Touched only
 * from the connection's event loop.
 */
final class Subscriptions {

  private final Recipient connection;
  /** Writes an ack to the client. */
  private final Consumer<JsonObject> acks;
  private final Principal principal;
  private final GatewayOptions options;
  private final GatewayMetrics metrics;
  private final TopicRegistry topics;
  private final TopicHistory history;
  private final V2Queries queries;
  private final EventBus eventBus;
  private final HistoryStreams historyStreams;
  private final ConnectionPresence presence;
  private final TokenBucket publishBucket;
  /** Topics named in sub and unsub frames: each may be a cluster-wide registry write. */
  private final TokenBucket subscribeBucket;
  /** Topic name to this connection's subscription of it. */
  private final Map<String, TopicSubscription> subscriptions = new HashMap<>();
  private boolean closed;

  Subscriptions(Recipient connection, Consumer<JsonObject> acks, Principal principal, NodeParts node,
                HistoryStreams historyStreams, ConnectionPresence presence) {
    this.connection = connection;
    this.acks = acks;
    this.principal = principal;
    this.options = node.options();
    this.metrics = node.metrics();
    this.topics = node.topics();
    this.history = node.history();
    this.queries = node.queries();
    this.eventBus = node.eventBus();
    this.historyStreams = historyStreams;
    this.presence = presence;
    this.publishBucket = new TokenBucket(options.getPublishRate(), options.getPublishBurst());
    this.subscribeBucket = new TokenBucket(options.getSubscribeRate(), options.getSubscribeBurst());
  }

  /** Acks once every topic of the frame is registered, those already held included. */
  void subscribe(Inbound in) {
    JsonObject noHistory = in.since.isEmpty() ? null : queries.sinceWithoutHistory(in);
    if (noHistory != null) {
      acks.accept(noHistory);
      return;
    }
    long added = in.topics.stream().filter(topic -> !subscriptions.containsKey(topic)).count();
    int limit = options.getMaxSubscriptions();
    if (subscriptions.size() + added > limit) {
      acks.accept(Envelope.ack(Status.TOO_MANY, "subscription limit " + limit + " reached", in.topics, in.id));
      return;
    }
    for (String topic : in.topics) {
      if (!principal.maySubscribe(topic)) {
        acks.accept(Envelope.ack(Status.FORBIDDEN, "not permitted to subscribe to " + topic, in.topics, in.id));
        return;
      }
    }
    if (!withinSubscribeRate(in)) {
      return;
    }
    Map<String, TopicSubscription> joined = new HashMap<>();
    List<Future<Void>> registered = new ArrayList<>(in.topics.size());
    for (String topic : in.topics) {
      TopicSubscription subscription = subscriptions.computeIfAbsent(topic, t -> {
        metrics.subscriptions.increment();
        TopicSubscription subscribed = topics.subscribe(t, connection);
        if (subscribed.sequencer() != null) {
          // v2: right after joining the audience, where the stream starts for this connection
          historyStreams.joined(t, subscribed.sequencer(), in.since.get(t));
        }
        return subscribed;
      });
      joined.put(topic, subscription);
      registered.add(subscription.registered());
    }
    Future.join(registered).onComplete(ar -> connection.onContext(() -> {
      if (closed) {
        return;
      }
      boolean lost = false;
      for (Map.Entry<String, TopicSubscription> entry : joined.entrySet()) {
        // a failed registration was dropped by the registry; one the client left or replaced meanwhile is not ours to undo
        TopicSubscription subscription = entry.getValue();
        if (subscriptions.get(entry.getKey()) == subscription && !topics.isCurrent(subscription)) {
          subscriptions.remove(entry.getKey());
          topics.unsubscribe(subscription);
          metrics.subscriptions.decrement();
          historyStreams.left(entry.getKey());
          presence.unsubscribed(entry.getKey());
          lost = true;
        }
      }
      JsonObject ack = lost
        ? Envelope.ack(Status.UNAVAILABLE, "subscription could not be registered", in.topics, in.id)
        : Envelope.ack(Status.OK, Status.reason(Status.OK), in.topics, in.id);
      for (String topic : in.topics) {
        if (subscriptions.containsKey(topic)) {
          // v2: listed once its consumer is registered, so its own join event reaches it
          presence.subscribed(topic, in.presenceEvents);
        }
      }
      if (!lost && historyStreams.anyOf(in.topics)) {
        // v2: position and recovered, then the replays
        historyStreams.acknowledge(in, ack, acks);
      } else {
        acks.accept(ack);
      }
    }));
  }

  /** Acks once this connection will get nothing more of the topics: its loop skips them from now on. */
  void unsubscribe(Inbound in) {
    if (!withinSubscribeRate(in)) {
      return;
    }
    for (String topic : in.topics) {
      TopicSubscription subscription = subscriptions.remove(topic);
      if (subscription != null) {
        metrics.subscriptions.decrement();
        topics.unsubscribe(subscription);
        historyStreams.left(topic);
        presence.unsubscribed(topic);
      }
    }
    acks.accept(Envelope.ack(Status.OK, Status.reason(Status.OK), in.topics, in.id));
  }

  /** Each topic named in a sub or unsub frame takes a token; without enough, the whole frame is refused 429. */
  private boolean withinSubscribeRate(Inbound in) {
    if (subscribeBucket.tryTake(System.nanoTime(), in.topics.size())) {
      return true;
    }
    acks.accept(Envelope.ack(Status.TOO_MANY, "sub/unsub rate over " + options.getSubscribeRate() + " topics/s", in.topics, in.id));
    return false;
  }

  void publish(Inbound in) {
    String topic = in.topics.get(0);
    if (!principal.mayPublish(topic)) {
      acks.accept(Envelope.ack(Status.FORBIDDEN, "not permitted to publish to " + topic, in.topics, in.id));
      return;
    }
    if (!publishBucket.tryTake(System.nanoTime())) {
      // answered even without an id: a dropped publication must not go unnoticed
      acks.accept(Envelope.ack(Status.TOO_MANY, "publish rate over " + options.getPublishRate() + "/s", in.topics, in.id));
      return;
    }
    JsonObject frame = in.frame;
    frame.remove(Envelope.ID);
    HistoryRule rule = history.rule(topic);
    if (rule != null) {
      // v2: stored first, published with its offset once stored; acked then
      history.publish(topic, rule, frame).onComplete(ar -> connection.onContext(() -> {
        if (ar.failed()) {
          acks.accept(Envelope.ack(Status.UNAVAILABLE, "history unavailable", in.topics, in.id));
        } else if (in.id != null) {
          acks.accept(Envelope.ack(Status.OK, Status.reason(Status.OK), in.topics, in.id));
        }
      }));
      return;
    }
    eventBus.publish(Addresses.topic(topic), frame.encode());
    if (in.id != null) {
      acks.accept(Envelope.ack(Status.OK, Status.reason(Status.OK), in.topics, in.id));
    }
  }

  /** The connection closed: every subscription ends. */
  void close() {
    closed = true;
    for (TopicSubscription subscription : subscriptions.values()) {
      topics.unsubscribe(subscription);
    }
    metrics.subscriptions.add(-subscriptions.size());
    subscriptions.clear();
  }
}
