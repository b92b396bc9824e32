package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import org.jwws.shared.internal.Glob;
import org.jwws.shared.internal.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * The consumer side of topics with history or presence: their publications go through a
 * {@link Sequencer}, their presence events to the subscribers that asked for them. Decided once
 * per topic registration; a topic with neither keeps the plain path of {@link TopicRegistry}.
 */
final class TopicFeeds {

  private static final Logger log = LoggerFactory.getLogger(TopicFeeds.class);

  private final Vertx vertx;
  private final TopicHistory history;
  private final List<Glob> presence;

  TopicFeeds(Vertx vertx, TopicHistory history, List<Glob> presence) {
    this.vertx = vertx;
    this.history = history;
    this.presence = List.copyOf(presence);
  }

  boolean hasPresence(String topic) {
    return Glob.anyMatches(presence, topic);
  }

  /** The feed of a topic with history or presence, null for any other topic. */
  Feed open(String name, Audience<?> audience, boolean droppable, IntConsumer deliveries) {
    HistoryRule rule = history.rule(name);
    boolean withPresence = hasPresence(name);
    if (rule == null && !withPresence) {
      return null;
    }
    Sequencer sequencer = rule == null ? null : new Sequencer(vertx, vertx.getOrCreateContext(), name, rule, history, droppable,
      (offset, epoch, text) -> deliveries.accept(
        audience.forEachOnLoop(member -> member.recipient().historyPublication(name, offset, epoch, text))));
    return new Feed(name, audience, droppable, sequencer, withPresence, deliveries);
  }

  /** One topic's handling of what arrives on {@code topic.<name>}. */
  static final class Feed {
    private final String name;
    private final Audience<?> audience;
    private final boolean droppable;
    private final Sequencer sequencer;
    private final boolean presence;
    private final IntConsumer deliveries;

    private Feed(String name, Audience<?> audience, boolean droppable, Sequencer sequencer, boolean presence, IntConsumer deliveries) {
      this.name = name;
      this.audience = audience;
      this.droppable = droppable;
      this.sequencer = sequencer;
      this.presence = presence;
      this.deliveries = deliveries;
    }

    /** Null when the topic has no history. */
    Sequencer sequencer() {
      return sequencer;
    }

    /** Ready once the history's head is known (at once without history). */
    Future<Void> start() {
      return sequencer == null ? Future.succeededFuture() : sequencer.start();
    }

    void receive(Message<Object> message) {
      if (presence && Headers.KIND_PRESENCE.equals(message.headers().get(Headers.KIND))) {
        String event = Frames.pushText(message.body());
        audience.forEachOnLoop(member -> member.recipient().presenceEvent(name, event));
        return;
      }
      if (sequencer == null) {
        deliveries.accept(audience.deliver(Frames.publicationText(name, message.body()), droppable));
        return;
      }
      String offset = message.headers().get(Headers.OFFSET);
      String epoch = message.headers().get(Headers.EPOCH);
      if (offset == null || epoch == null) {
        // not through the documented path (a pub frame, Backend.publish or jw.history.append): no offset to deliver it at
        log.debug("publication on history topic {} without an offset dropped", name);
        return;
      }
      sequencer.receive(Long.parseLong(offset), epoch, Frames.pushText(message.body()));
    }
  }
}
