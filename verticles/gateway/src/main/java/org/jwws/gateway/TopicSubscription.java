package org.jwws.gateway;

import io.vertx.core.Future;

/**
 * One recipient's subscription to one registration of a topic, made by {@link TopicRegistry}.
 * The registration is known by its audience: one audience per registration.
 */
final class TopicSubscription implements Audience.Member {

  private final String topic;
  private final Audience<TopicSubscription> audience;
  private final Recipient recipient;
  private final Future<Void> registered;
  private final Sequencer sequencer;
  /** Written and read on the recipient's loop only. */
  private boolean present = true;
  /** Kept by the topic's audience, under its lock. */
  private int slot;

  TopicSubscription(String topic, Audience<TopicSubscription> audience, Recipient recipient, Future<Void> registered,
                    Sequencer sequencer) {
    this.topic = topic;
    this.audience = audience;
    this.recipient = recipient;
    this.registered = registered;
    this.sequencer = sequencer;
  }

  String topic() {
    return topic;
  }

  /** The audience of the registration it joined. */
  Audience<TopicSubscription> audience() {
    return audience;
  }

  @Override
  public Recipient recipient() {
    return recipient;
  }

  @Override
  public boolean present() {
    return present;
  }

  /** It left: deliveries already on their way to its loop skip it. On the recipient's loop. */
  void left() {
    present = false;
  }

  @Override
  public int slot() {
    return slot;
  }

  @Override
  public void slot(int slot) {
    this.slot = slot;
  }

  /** Completes once the consumer is registered (cluster-wide when clustered), and a history topic knows its head. */
  Future<Void> registered() {
    return registered;
  }

  /** The topic's sequencer when it has history, else null. */
  Sequencer sequencer() {
    return sequencer;
  }
}
