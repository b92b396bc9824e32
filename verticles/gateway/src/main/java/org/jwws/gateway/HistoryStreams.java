package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One connection's history topics: the last offset written to the client on each, and the
 * recovery of a {@code sub} with {@code since}. While a recovery reads the history, live
 * publications of the topic wait here; after the ack the client gets the missed ones, then
 * the waiting ones above them: no gap, no duplicate, in order. The missed ones are read a page
 * at a time and written as the socket has room ({@link Outbox#replay}), so a replay of the
 * whole history neither overruns a client that reads nor piles up for one that does not; what
 * waits meanwhile is bounded, past it the topic's slow-consumer rule. Touched only from the
 * connection's event loop.
 */
final class HistoryStreams {

  /** Missed publications read from the history at a time: what a replay holds in memory. */
  static final int PAGE = 100;

  private final Recipient connection;
  private final Outbox outbox;
  private final TopicHistory history;
  private final GatewayMetrics metrics;
  private final int maxWaitingChars;
  private final Map<String, Stream> streams = new HashMap<>();
  /** Streams acked and not yet live: their replay is written as the socket has room. */
  private final List<Stream> replaying = new ArrayList<>();
  private boolean pumping;

  HistoryStreams(Recipient connection, Outbox outbox, TopicHistory history, GatewayMetrics metrics, int maxWaitingChars) {
    this.connection = connection;
    this.outbox = outbox;
    this.history = history;
    this.metrics = metrics;
    this.maxWaitingChars = maxWaitingChars;
  }

  /**
   * A new subscription to a history topic: call it right after the connection joined the
   * topic's audience, so that the sequencer's position read here is the one it joined at.
   */
  void joined(String topic, Sequencer sequencer, Inbound.Since since) {
    Stream stream = new Stream(topic, sequencer, since);
    stream.delivered = sequencer.position();
    stream.epoch = sequencer.epoch();
    streams.put(topic, stream);
  }

  void left(String topic) {
    Stream stream = streams.remove(topic);
    if (stream != null) {
      replaying.remove(stream);
    }
  }

  void clear() {
    streams.clear();
    replaying.clear();
  }

  boolean anyOf(List<String> topics) {
    for (String topic : topics) {
      if (streams.containsKey(topic)) {
        return true;
      }
    }
    return false;
  }

  /** A live publication from the topic's sequencer. */
  void live(String topic, long offset, String epoch, String text) {
    Stream stream = streams.get(topic);
    if (stream == null) {
      return;
    }
    if (stream.epoch != null && !stream.epoch.equals(epoch)) {
      // the history started again: its offsets did too, and what was missed of the old one is gone
      stream.delivered = Sequencer.UNKNOWN;
      stream.forgetMissed();
    }
    stream.epoch = epoch;
    if (stream.recovering) {
      stream.hold(offset, text);
    } else {
      stream.write(offset, text);
    }
  }

  /** The socket has room (or a page was read): the replays go on as far as it lasts. */
  void pump() {
    if (pumping || replaying.isEmpty()) {
      // inside a write whose frame the socket took at once: the loop below goes on
      return;
    }
    pumping = true;
    try {
      for (Stream stream : replaying.toArray(new Stream[0])) {
        if (!outbox.roomForReplay()) {
          return;
        }
        stream.writeWhileRoom();
      }
    } finally {
      pumping = false;
    }
  }

  /**
   * Completes the ack of a {@code sub} whose registrations are done: {@code position} for every
   * history topic, {@code recovered} for those with {@code since}; sends it, then the replays.
   */
  void acknowledge(Inbound in, JsonObject ack, Consumer<JsonObject> send) {
    JsonObject position = new JsonObject();
    JsonObject recovered = new JsonObject();
    List<Future<Void>> reads = new ArrayList<>();
    Map<String, Stream> recovering = new HashMap<>();
    for (String topic : in.topics) {
      Stream stream = streams.get(topic);
      if (stream == null) {
        continue;
      }
      if (stream.delivered == Sequencer.UNKNOWN) {
        // joined before the sequencer knew the head: everything after the head reaches it
        stream.delivered = stream.sequencer.startPosition();
        stream.epoch = stream.sequencer.epoch();
      }
      Inbound.Since since = in.since.get(topic);
      if (since != null && stream.since == since) {
        recovering.put(topic, stream);
        reads.add(recover(topic, stream, since));
      } else if (since != null) {
        // held already: nothing was missed on this connection
        recovered.put(topic, since.epoch.equals(stream.epoch));
      }
    }
    Future.join(reads).onComplete(done -> connection.onContext(() -> {
      for (String topic : in.topics) {
        Stream stream = streams.get(topic);
        if (stream != null) {
          Stream mine = recovering.get(topic);
          long at = mine != null && mine.recovered ? Math.max(mine.delivered, mine.since.offset) : stream.delivered;
          position.put(topic, new JsonObject().put(TopicHistory.OFFSET, at).put(TopicHistory.EPOCH, stream.epoch));
        }
      }
      recovering.forEach((topic, stream) -> recovered.put(topic, stream.recovered));
      ack.put("position", position);
      if (!recovered.isEmpty()) {
        ack.put("recovered", recovered);
      }
      send.accept(ack);
      recovering.forEach((topic, stream) -> {
        if (streams.get(topic) == stream) {
          stream.startReplay();
        }
      });
      pump();
    }));
  }

  /**
   * Decides whether the gap can be closed: the history still holds {@code since.offset + 1},
   * read with the first page of what the client missed (up to where its live stream began).
   */
  private Future<Void> recover(String topic, Stream stream, Inbound.Since since) {
    HistoryRule rule = stream.sequencer.rule();
    long base = stream.delivered;
    return history.position(topic, rule).compose(head -> {
      if (!head.epoch.equals(since.epoch) || since.offset > head.offset) {
        // another history, or offsets it never gave
        return Future.succeededFuture();
      }
      stream.missedEpoch = head.epoch;
      if (since.offset >= base) {
        stream.recovered = true;
        return Future.succeededFuture();
      }
      int first = (int) Math.min(PAGE, base - since.offset);
      return history.read(topic, rule, since.offset + 1, first).map(found -> {
        int n = found.size();
        boolean closesTheGap = n == first && found.get(0).offset == since.offset + 1
          && found.get(n - 1).offset - found.get(0).offset == n - 1;
        if (closesTheGap) {
          stream.recovered = true;
          stream.page.addAll(found);
          stream.nextToRead = found.get(n - 1).offset + 1;
          stream.lastMissed = base;
        }
        return null;
      });
    }).otherwiseEmpty().mapEmpty();
  }

  private final class Stream {
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

    Stream(String topic, Sequencer sequencer, Inbound.Since since) {
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
      } else if (replaying.contains(this)) {
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
      replaying.add(this);
    }

    void forgetMissed() {
      page.clear();
      nextToRead = lastMissed + 1;
    }

    /** Writes the replay while the socket has room; once all of it is written, the stream is live. */
    void writeWhileRoom() {
      while (streams.get(topic) == this && outbox.roomForReplay()) {
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
          replaying.remove(this);
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
        if (streams.get(topic) != this || !replaying.contains(this)) {
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
        pump();
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
      replaying.remove(this);
      while (!waiting.isEmpty()) {
        Object[] next = waiting.poll();
        write((Long) next[0], (String) next[1]);
      }
      waitingChars = 0;
    }
  }
}
