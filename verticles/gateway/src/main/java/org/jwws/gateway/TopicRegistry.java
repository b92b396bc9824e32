package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import org.jwws.shared.Addresses;
import org.jwws.shared.Glob;
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
 * with local subscribers, registered with the first and unregistered after the last. A
 * publication arriving on it is turned into text once and written to every local subscriber.
 */
final class TopicRegistry {

  private static final Logger log = LoggerFactory.getLogger(TopicRegistry.class);

  private final EventBus eventBus;
  private final GatewayMetrics metrics;
  private final List<Glob> dropOldest;
  private final Map<String, Topic> topics = new HashMap<>();
  private final TopicFeeds feeds;

  TopicRegistry(EventBus eventBus, GatewayMetrics metrics, List<Glob> dropOldest, TopicFeeds feeds) {
    this.eventBus = eventBus;
    this.metrics = metrics;
    this.dropOldest = List.copyOf(dropOldest);
    this.feeds = feeds;
  }

  /** Adds a subscriber to the topic's current registration, which it returns. */
  Topic subscribe(String name, Connection connection) {
    synchronized (this) {
      Topic topic = topics.computeIfAbsent(name, this::open);
      topic.audience.add(connection);
      return topic;
    }
  }

  void unsubscribe(String name, Connection connection) {
    Topic closing = null;
    synchronized (this) {
      Topic topic = topics.get(name);
      if (topic != null && topic.audience.remove(connection) && topic.audience.isEmpty()) {
        topics.remove(name);
        closing = topic;
      }
    }
    if (closing != null) {
      closing.consumer.unregister();
    }
  }

  /**
   * Local subscribers per topic, the most subscribed first, at most {@code limit} topics. Runs
   * every report period: the lock is held for a copy of the sizes only, and the top topics are
   * kept in a heap of {@code limit}, so a node with many topics costs O(topics log limit).
   */
  Map<String, Integer> subscribers(int limit) {
    List<Map.Entry<String, Integer>> sizes;
    synchronized (this) {
      sizes = new ArrayList<>(topics.size());
      topics.forEach((name, topic) -> sizes.add(Map.entry(name, topic.audience.size())));
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

  /** Topics this node holds a consumer for. */
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

  /** False once the registration failed and was dropped, or the topic was closed. */
  synchronized boolean isCurrent(String name, Topic topic) {
    return topics.get(name) == topic;
  }

  private Topic open(String name) {
    Audience audience = new Audience(metrics.publicationsOut);
    boolean droppable = Glob.anyMatches(dropOldest, name);
    // the label is taken at the first publication, not the subscription: subscribing alone to
    // made-up names cannot use up the label budget
    GatewayMetrics.TopicMeters[] meters = new GatewayMetrics.TopicMeters[1];
    // history and presence topics: decided here, once per registration, never per publication
    TopicFeeds.Feed feed = feeds.open(name, audience, droppable, delivered -> meters[0].deliveries.increment(delivered));
    MessageConsumer<Object> consumer = eventBus.consumer(Addresses.topic(name), message -> {
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
    Topic topic = new Topic(audience, consumer, feed);
    // a failed registration serves nobody: drop it, so the next subscriber tries afresh
    topic.registered().onFailure(err -> {
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

  /** One registration of a topic on this node: its consumer and local subscribers. */
  static final class Topic {

    private final Audience audience;
    private final MessageConsumer<Object> consumer;
    private final TopicFeeds.Feed feed;
    private final Future<Void> registered;

    private Topic(Audience audience, MessageConsumer<Object> consumer, TopicFeeds.Feed feed) {
      this.audience = audience;
      this.consumer = consumer;
      this.feed = feed;
      this.registered = feed == null ? consumer.completion() : consumer.completion().compose(v -> feed.start());
    }

    /** Completes once the consumer is registered (cluster-wide when clustered), and a history topic knows its head. */
    Future<Void> registered() {
      return registered;
    }

    /** The topic's sequencer when it has history, else null. */
    Sequencer sequencer() {
      return feed == null ? null : feed.sequencer();
    }
  }
}
