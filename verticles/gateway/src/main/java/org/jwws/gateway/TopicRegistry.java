package org.jwws.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.FlowMarkers;
import org.jwws.shared.internal.Glob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The node's topic subscriptions: ONE event-bus consumer on {@code topic.<name>} per topic
 * with local subscribers. It is registered with the first subscriber (a cluster-wide registry
 * write when clustered) and unregistered once the topic has had no subscriber for
 * {@code topicLingerMs}, so a topic flapping between its last and a first subscriber costs
 * the cluster nothing. A publication arriving on it is turned into text once and written to
 * every local subscriber.
 */
final class TopicRegistry {

  private static final Logger log = LoggerFactory.getLogger(TopicRegistry.class);
  /** At most one warning per topic this often about publications Vert.x discarded. */
  static final long DISCARD_WARNING_INTERVAL_NANOS = 10_000_000_000L;

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final List<Glob> dropOldest;
  private final long lingerMs;
  private final Map<String, Topic> topics = new HashMap<>();
  private final TopicFeeds feeds;

  TopicRegistry(Vertx vertx, GatewayMetrics metrics, List<Glob> dropOldest, long lingerMs, TopicFeeds feeds) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.dropOldest = List.copyOf(dropOldest);
    this.lingerMs = lingerMs;
    this.feeds = feeds;
  }

  /** Adds a subscriber to the topic's current registration (reusing a lingering one). */
  TopicSubscription subscribe(String name, Recipient recipient) {
    synchronized (this) {
      Topic topic = topics.computeIfAbsent(name, this::open);
      TopicSubscription subscription = new TopicSubscription(name, topic.audience, recipient, topic.registered, topic.sequencer());
      topic.audience.add(subscription);
      return subscription;
    }
  }

  /**
   * Ends a subscription; on the recipient's loop. Deliveries already on their way to that
   * loop skip it from now on, so nothing of the topic follows the unsub ack.
   */
  void unsubscribe(TopicSubscription subscription) {
    subscription.left();
    Topic closing = null;
    synchronized (this) {
      Topic topic = current(subscription);
      if (subscription.audience().remove(subscription) && subscription.audience().isEmpty() && topic != null) {
        topic.emptiedAtNanos = System.nanoTime();
        if (lingerMs == 0) {
          topics.remove(topic.name);
          closing = topic;
        } else if (!topic.lingering) {
          topic.lingering = true;
          vertx.setTimer(lingerMs, id -> expire(topic));
        }
      }
    }
    if (closing != null) {
      close(closing);
    }
  }

  /** The linger of an emptied topic is over: unregister it, unless it was joined again. */
  private void expire(Topic topic) {
    synchronized (this) {
      if (!topic.audience.isEmpty() || topics.get(topic.name) != topic) {
        topic.lingering = false;
        return;
      }
      // emptied again since the timer was set: wait out the rest of that linger
      long leftMs = lingerMs - (System.nanoTime() - topic.emptiedAtNanos) / 1_000_000;
      if (leftMs > 0) {
        vertx.setTimer(leftMs, id -> expire(topic));
        return;
      }
      topic.lingering = false;
      topics.remove(topic.name);
    }
    close(topic);
  }

  private void close(Topic topic) {
    metrics.topicRegistryWrites.increment();
    topic.consumer.unregister();
  }

  /**
   * Local subscribers per topic, the most subscribed first, at most {@code limit} topics
   * (lingering ones, with none, left out). Runs every report period: the lock is held for a
   * copy of the sizes only, and the top topics are kept in a heap of {@code limit}, so a node
   * with many topics costs O(topics log limit).
   */
  Map<String, Integer> subscribers(int limit) {
    List<Map.Entry<String, Integer>> sizes;
    synchronized (this) {
      sizes = new ArrayList<>(topics.size());
      topics.forEach((name, topic) -> {
        if (!topic.audience.isEmpty()) {
          sizes.add(Map.entry(name, topic.audience.size()));
        }
      });
    }
    PriorityQueue<Map.Entry<String, Integer>> top = new PriorityQueue<>(limit + 1, Map.Entry.comparingByValue());
    for (Map.Entry<String, Integer> size : sizes) {
      top.add(size);
      if (top.size() > limit) {
        top.poll();
      }
    }
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(top);
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    Map<String, Integer> out = new LinkedHashMap<>();
    sorted.forEach(entry -> out.put(entry.getKey(), entry.getValue()));
    return out;
  }

  /** Topics this node holds a consumer for (lingering ones included). */
  synchronized int size() {
    return topics.size();
  }

  /** The sequencer of a history topic this node holds, else null. */
  synchronized Sequencer sequencer(String name) {
    Topic topic = topics.get(name);
    return topic == null ? null : topic.sequencer();
  }

  synchronized boolean hasConsumer(String name) {
    return topics.containsKey(name);
  }

  /** The event loop a topic's consumer runs on (null: no consumer): for tests that stall it. */
  synchronized Context consumerContext(String name) {
    Topic topic = topics.get(name);
    return topic == null ? null : topic.context;
  }

  /** False once the registration failed and was dropped, or the topic was closed. */
  synchronized boolean isCurrent(TopicSubscription subscription) {
    return current(subscription) != null;
  }

  /** The registration the subscription joined, while it is the topic's current one; else null. Under the lock. */
  private Topic current(TopicSubscription subscription) {
    Topic topic = topics.get(subscription.topic());
    return topic != null && topic.audience == subscription.audience() ? topic : null;
  }

  private Topic open(String name) {
    metrics.topicRegistryWrites.increment();
    Topic topic = new Topic(name, new Audience<>(metrics.publicationsOut), vertx.getOrCreateContext());
    boolean droppable = Glob.anyMatches(dropOldest, name);
    // the label is taken at the first publication, not the subscription: subscribing alone to
    // made-up names cannot use up the label budget
    GatewayMetrics.TopicMeters[] meters = new GatewayMetrics.TopicMeters[1];
    Audience<TopicSubscription> audience = topic.audience;
    // history and presence topics: decided here, once per registration, never per publication
    TopicFeeds.Feed feed = feeds.open(name, audience, droppable, delivered -> meters[0].deliveries.increment(delivered));
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.topic(name), message -> {
      if (FlowMarkers.isMarker(message)) {
        // a remote publisher may send more once the subscribers' loops took what came before
        audience.afterDeliveries(() -> FlowMarkers.credit(vertx, name, message));
        return;
      }
      if (meters[0] == null) {
        meters[0] = metrics.topic(name);
      }
      meters[0].publications.increment();
      if (feed != null) {
        try {
          feed.receive(message);
        } catch (IllegalArgumentException e) {
          log.debug("publication on {} dropped: {}", name, e.getMessage());
        }
        return;
      }
      String text;
      try {
        text = Frames.publicationText(name, message.body());
      } catch (IllegalArgumentException e) {
        log.debug("publication on {} dropped: {}", name, e.getMessage());
        return;
      }
      meters[0].deliveries.increment(audience.deliver(text, droppable));
    });
    topic.consumer = consumer;
    topic.feed = feed;
    topic.registered = feed == null ? consumer.completion() : consumer.completion().compose(v -> feed.start());
    if (consumer instanceof MessageConsumerImpl) {
      // Vert.x discards a message only when the consumer is unregistered (a publication
      // racing the end of a linger) or its buffer is full (only while paused, which it never
      // is); either way it is counted and said, never silently
      ((MessageConsumerImpl<Object>) consumer).discardHandler(message -> discarded(topic, message));
    }
    // a failed registration serves nobody: drop it, so the next subscriber tries afresh
    topic.registered.onFailure(err -> {
      synchronized (this) {
        topics.remove(name, topic);
      }
      if (consumer.isRegistered()) {
        // registered, but the history's head could not be read
        consumer.unregister();
      }
    });
    return topic;
  }

  /** On the consumer's loop. */
  private void discarded(Topic topic, Message<Object> message) {
    metrics.publicationsDiscarded.increment();
    topic.discardedSinceWarning++;
    long now = System.nanoTime();
    if (topic.lastWarningNanos == 0 || now - topic.lastWarningNanos >= DISCARD_WARNING_INTERVAL_NANOS) {
      boolean current;
      synchronized (this) {
        current = topics.get(topic.name) == topic;
      }
      log.warn("{} publication(s) on topic {} discarded by the event bus ({}); counted in jw_publications_discarded_total,"
          + " warned about at most every {} s per topic", topic.discardedSinceWarning, topic.name,
        current ? "its consumer's buffer is full" : "its consumer was unregistered, no local subscriber left",
        DISCARD_WARNING_INTERVAL_NANOS / 1_000_000_000L);
      topic.discardedSinceWarning = 0;
      topic.lastWarningNanos = now;
    }
  }

  /** One registration of a topic on this node: its consumer and local subscribers. */
  private static final class Topic {

    final String name;
    final Audience<TopicSubscription> audience;
    /** Where the consumer runs: the loop of the subscriber that opened it. */
    final Context context;
    MessageConsumer<Object> consumer;
    /** The history and presence side of the topic, null for a plain topic. */
    TopicFeeds.Feed feed;
    /** The consumer registered (cluster-wide when clustered) and, for history, the head known. */
    Future<Void> registered;
    /** Under the registry's lock: a linger timer is set; when the audience last became empty. */
    boolean lingering;
    long emptiedAtNanos;
    /** On the consumer's loop: discards since the last warning, and when that was. */
    long discardedSinceWarning;
    long lastWarningNanos;

    Topic(String name, Audience<TopicSubscription> audience, Context context) {
      this.name = name;
      this.audience = audience;
      this.context = context;
    }

    /** The topic's sequencer when it has history, else null. */
    Sequencer sequencer() {
      return feed == null ? null : feed.sequencer();
    }
  }
}
