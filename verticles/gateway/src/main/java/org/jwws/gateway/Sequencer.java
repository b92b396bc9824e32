package org.jwws.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Delivers one history topic's publications to the node's subscribers in offset order. Two
 * publishers on two nodes append concurrently, and the event bus may bring their frames in
 * either order: a frame whose predecessor has not arrived is held until it does, for at most
 * {@link #GAP_WAIT_MS}; then the missing ones are read from the history (a publisher that died
 * between its append and its publish) and those it no longer holds are skipped. Confined to
 * the context of the topic's consumer; {@link #position()} is read from any thread.
 */
final class Sequencer {

  static final long UNKNOWN = -1;
  static final long GAP_WAIT_MS = 250;

  private final Vertx vertx;
  private final Context context;
  private final String topic;
  private final HistoryRule rule;
  private final TopicHistory history;
  private final Delivery delivery;
  private final boolean droppable;
  /** The last offset handed to the subscribers; UNKNOWN until the history's head was read. */
  private volatile long delivered = UNKNOWN;
  private volatile String epoch;
  private long start = UNKNOWN;
  private final TreeMap<Long, String> held = new TreeMap<>();
  private long gapTimer = -1;
  private boolean filling;

  /** Hands a publication (its text with offset and epoch) to every local subscriber. */
  interface Delivery {
    void deliver(long offset, String epoch, String text);
  }

  Sequencer(Vertx vertx, Context context, String topic, HistoryRule rule, TopicHistory history, boolean droppable, Delivery delivery) {
    this.droppable = droppable;
    this.vertx = vertx;
    this.context = context;
    this.topic = topic;
    this.rule = rule;
    this.history = history;
    this.delivery = delivery;
  }

  /** A drop-oldest topic: its replays may be dropped for a slow consumer too. */
  boolean droppable() {
    return droppable;
  }

  HistoryRule rule() {
    return rule;
  }

  /** Reads where the history stands: publications up to there are not delivered live. */
  Future<Void> start() {
    Promise<Void> started = Promise.promise();
    history.position(topic, rule).onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) {
        started(ar.result());
        started.complete();
      } else {
        started.fail(ar.cause());
      }
    }));
    return started.future();
  }

  /**
   * The last offset delivered to the subscribers, UNKNOWN before the start. Read by a subscriber
   * right after it joined the audience: every later offset reaches it (see {@link #deliver}).
   */
  long position() {
    return delivered;
  }

  /** The position at the start: a subscriber that joined before receives everything after it. */
  long startPosition() {
    return start;
  }

  String epoch() {
    return epoch;
  }

  private void started(HistoryStore.Position position) {
    start = position.offset;
    epoch = position.epoch;
    delivered = position.offset;
    held.headMap(position.offset, true).clear();
    drain();
  }

  /** A publication from the event bus; on the consumer's context. */
  void receive(long offset, String frameEpoch, String text) {
    if (start != UNKNOWN && !frameEpoch.equals(epoch)) {
      // the history was lost and started again (its members died): follow the new numbering
      epoch = frameEpoch;
      held.clear();
      delivered = offset - 1;
    }
    if (start != UNKNOWN && offset <= delivered) {
      return;
    }
    held.put(offset, text);
    if (start != UNKNOWN) {
      drain();
    }
  }

  private void drain() {
    while (!held.isEmpty() && held.firstKey() == delivered + 1) {
      Map.Entry<Long, String> next = held.pollFirstEntry();
      deliver(next.getKey(), next.getValue());
    }
    if (held.isEmpty()) {
      cancelGapTimer();
    } else if (held.size() > rule.size()) {
      cancelGapTimer();
      fillGap();
    } else if (gapTimer < 0 && !filling) {
      gapTimer = vertx.setTimer(GAP_WAIT_MS, id -> {
        gapTimer = -1;
        fillGap();
      });
    }
  }

  private void deliver(long offset, String text) {
    // the position moves before the frame is handed out: a subscriber joining meanwhile either
    // is in the audience that receives it, or reads the new position and knows it had it
    delivered = offset;
    delivery.deliver(offset, epoch, text);
  }

  private void cancelGapTimer() {
    if (gapTimer >= 0) {
      vertx.cancelTimer(gapTimer);
      gapTimer = -1;
    }
  }

  /** Reads the missing offsets from the history; those it no longer holds are skipped. */
  private void fillGap() {
    if (filling || held.isEmpty()) {
      return;
    }
    filling = true;
    long from = delivered + 1;
    int missing = (int) Math.min(rule.size(), held.firstKey() - from);
    String readEpoch = epoch;
    history.read(topic, rule, from, missing).onComplete(ar -> context.runOnContext(v -> {
      filling = false;
      if (ar.succeeded() && readEpoch.equals(epoch)) {
        filled(ar.result());
      }
      if (!held.isEmpty() && held.firstKey() > delivered + 1) {
        // what is still missing is gone (trimmed, expired or never stored): skip it
        delivered = held.firstKey() - 1;
      }
      drain();
    }));
  }

  private void filled(List<TopicHistory.Stored> found) {
    for (TopicHistory.Stored stored : found) {
      if (stored.offset > delivered && (held.isEmpty() || stored.offset < held.firstKey())) {
        deliver(stored.offset, TopicHistory.withOffset(stored.frame, stored.offset, epoch));
      }
    }
  }
}
