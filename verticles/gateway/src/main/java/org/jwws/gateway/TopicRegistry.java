package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.HashMap;
import java.util.Map;

/**
 * The node's topic subscriptions: ONE event-bus consumer on {@code topic.<name>} per topic
 * with local subscribers, registered with the first and unregistered after the last. A
 * publication arriving on it is turned into text once and written to every local subscriber.
 */
final class TopicRegistry {

  private final EventBus eventBus;
  private final NodeCounters counters;
  private final Map<String, Topic> topics = new HashMap<>();

  TopicRegistry(EventBus eventBus, NodeCounters counters) {
    this.eventBus = eventBus;
    this.counters = counters;
  }

  /** Adds a subscriber; the future completes when the topic's consumer is registered. */
  Future<Void> subscribe(String name, Connection connection) {
    Topic topic;
    synchronized (this) {
      topic = topics.computeIfAbsent(name, this::open);
      topic.audience.add(connection);
    }
    return topic.consumer.completion();
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

  /** Topics this node holds a consumer for. */
  synchronized int size() {
    return topics.size();
  }

  synchronized boolean hasConsumer(String name) {
    return topics.containsKey(name);
  }

  private Topic open(String name) {
    Audience audience = new Audience();
    MessageConsumer<Object> consumer = eventBus.consumer(org.jwws.shared.Addresses.topic(name), message -> {
      counters.publicationsReceived.increment();
      audience.deliver(Frames.publicationText(name, message.body()));
    });
    return new Topic(audience, consumer);
  }

  private static final class Topic {

    final Audience audience;
    final MessageConsumer<Object> consumer;

    Topic(Audience audience, MessageConsumer<Object> consumer) {
      this.audience = audience;
      this.consumer = consumer;
    }
  }
}
