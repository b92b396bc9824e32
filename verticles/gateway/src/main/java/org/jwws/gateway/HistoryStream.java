package org.jwws.gateway;

import java.util.ArrayDeque;

/**
 * One history topic of a connection: the last offset written to the client, the live
 * publications that wait while it recovers, and its replay, read a page at a time and written as
 * the socket has room. Touched only from the connection's event loop.
 */
final class HistoryStream {

  /** Missed publications read from the history at a time: what a replay holds in memory. */
  static final int PAGE = 100;

  /** What a stream asks of the set of streams of its connection. */
  interface Owner {
    /** True while it is the connection's stream of its topic (not left, not replaced). */
    boolean current(HistoryStream stream);

    boolean replaying(HistoryStream stream);

    void replayStarted(HistoryStream stream);

    void replayDone(HistoryStream stream);

    /** The replays go on as far as the socket has room. */
    void pump();
  }

  private final Owner owner;
  private final Recipient connection;
  private final Outbox outbox;
  private final TopicHistory history;
  private final GatewayMetrics metrics;
  private final int maxWaitingChars;

  final String topic;
  final Sequencer sequencer;
  final boolean droppable;
  /** The since of the frame that subscribed, null without. */
  final Inbound.Since since;
  long delivered;
  String epoch;
  /** Live publications wait: until the ack, then until the replay is written. */
  boolean recovering;
  boolean recovered;
  /** Missed publications read and not yet written, the next offset to read, the last to replay. */
  final ArrayDeque<TopicHistory.Stored> page = new ArrayDeque<>();
  long nextToRead = 1;
  long lastMissed;
  String missedEpoch;
  private boolean reading;
  private final ArrayDeque<Object[]> waiting = new ArrayDeque<>();
  private long waitingChars;

  HistoryStream(Owner owner, Recipient connection, Outbox outbox, TopicHistory history, GatewayMetrics metrics,
                int maxWaitingChars, String topic, Sequencer sequencer, Inbound.Since since) {
    this.owner = owner;
    this.connection = connection;
    this.outbox = outbox;
    this.history = history;
    this.metrics = metrics;
    this.maxWaitingChars = maxWaitingChars;
    this.topic = topic;
    this.sequencer = sequencer;
    this.droppable = sequencer.droppable();
    this.since = since;
    this.recovering = since != null;
  }

  /** A live publication, straight to the outbox. */
  void write(long offset, String text) {
    if (offset > delivered) {
      delivered = offset;
      connection.publication(text, droppable, metrics.publicationsOut);
    }
  }

  /** Bounded like the write queue: past it, the slow-consumer policy of the topic. */
  void hold(long offset, String text) {
    waiting.add(new Object[] {offset, text});
    waitingChars += text.length();
    if (waitingChars <= maxWaitingChars) {
      return;
    }
    if (!droppable) {
      outbox.slowConsumer();
    } else if (owner.replaying(this)) {
      dropTheRestOfTheReplay();
    } else {
      while (waitingChars > maxWaitingChars) {
        waitingChars -= ((String) waiting.poll()[1]).length();
        metrics.publicationsDropped.increment();
      }
    }
  }

  /** After the ack: the missed ones (when the gap closes), then those that waited. */
  void startReplay() {
    if (recovered && missedEpoch.equals(epoch)) {
      // the client has everything up to since; the missed ones reach up to where live began
      delivered = since.offset;
    } else {
      forgetMissed();
    }
    owner.replayStarted(this);
  }

  /**
   * The history started again while live ones waited: those of the old history are dropped
   * (counted), as their offsets would hide the new history's behind them.
   */
  void forgetWaiting() {
    metrics.publicationsDropped.increment(waiting.size());
    waiting.clear();
    waitingChars = 0;
  }

  void forgetMissed() {
    page.clear();
    nextToRead = lastMissed + 1;
  }

  /** Writes the replay while the socket has room; once all of it is written, the stream is live. */
  void writeWhileRoom() {
    while (owner.current(this) && outbox.roomForReplay()) {
      TopicHistory.Stored missed = page.poll();
      if (missed != null) {
        if (!replayMissed(missed)) {
          return;
        }
      } else if (nextToRead <= lastMissed) {
        readPage();
        if (reading) {
          // the page pumps on once read; a store that answered at once filled it already
          return;
        }
      } else if (!waiting.isEmpty()) {
        Object[] next = waiting.poll();
        waitingChars -= ((String) next[1]).length();
        replay((Long) next[0], (String) next[1]);
      } else {
        recovering = false;
        owner.replayDone(this);
        return;
      }
    }
  }

  /** False when the stream cannot go on: the history lost what the client had not read yet. */
  private boolean replayMissed(TopicHistory.Stored missed) {
    if (missed.offset > delivered + 1) {
      // trimmed while the client read the older ones: it fell behind by more than the history
      if (!droppable) {
        outbox.slowConsumer();
        return false;
      }
      metrics.publicationsDropped.increment(missed.offset - delivered - 1);
    }
    replay(missed.offset, TopicHistory.withOffset(missed.frame, missed.offset, missedEpoch));
    return true;
  }

  private void replay(long offset, String text) {
    if (offset > delivered) {
      delivered = offset;
      outbox.replay(text, metrics.publicationsOut);
    }
  }

  private void readPage() {
    if (reading) {
      return;
    }
    reading = true;
    int max = (int) Math.min(PAGE, lastMissed - nextToRead + 1);
    history.read(topic, sequencer.rule(), nextToRead, max).onComplete(read -> connection.onContext(() -> {
      reading = false;
      if (!owner.current(this) || !owner.replaying(this)) {
        return;
      }
      if (read.succeeded() && !read.result().isEmpty()) {
        page.addAll(read.result());
        nextToRead = page.peekLast().offset + 1;
      } else if (droppable) {
        // nothing more held of what was missed, or unreadable: the oldest are dropped
        metrics.publicationsDropped.increment(Math.max(0, lastMissed - delivered));
        forgetMissed();
      } else if (read.failed()) {
        connection.close(CloseCodes.TRY_AGAIN_LATER, "history unavailable");
        return;
      } else {
        outbox.slowConsumer();
        return;
      }
      owner.pump();
    }));
  }

  /**
   * A drop-oldest topic whose waiting ones passed the bound: the oldest not yet written are
   * the rest of the replay, dropped; those that waited go to the outbox as live ones do.
   */
  private void dropTheRestOfTheReplay() {
    metrics.publicationsDropped.increment(page.size() + Math.max(0, lastMissed - nextToRead + 1));
    forgetMissed();
    recovering = false;
    owner.replayDone(this);
    while (!waiting.isEmpty()) {
      Object[] next = waiting.poll();
      write((Long) next[0], (String) next[1]);
    }
    waitingChars = 0;
  }
}
