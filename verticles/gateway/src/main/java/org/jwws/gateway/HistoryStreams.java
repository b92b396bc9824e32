package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
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
 * the waiting ones above them: no gap, no duplicate, in order. Touched only from the
 * connection's event loop.
 */
final class HistoryStreams {

  private final Recipient connection;
  private final TopicHistory history;
  private final Counter kind;
  private final int maxWaitingChars;
  private final Map<String, Stream> streams = new HashMap<>();

  HistoryStreams(Recipient connection, TopicHistory history, Counter kind, int maxWaitingChars) {
    this.connection = connection;
    this.history = history;
    this.kind = kind;
    this.maxWaitingChars = maxWaitingChars;
  }

  /**
   * A new subscription to a history topic: call it right after the connection joined the
   * topic's audience, so that the sequencer's position read here is the one it joined at.
   */
  void joined(String topic, Sequencer sequencer, Inbound.Since since) {
    Stream stream = new Stream(sequencer, sequencer.droppable(), since);
    stream.delivered = sequencer.position();
    stream.epoch = sequencer.epoch();
    streams.put(topic, stream);
  }

  void left(String topic) {
    streams.remove(topic);
  }

  void clear() {
    streams.clear();
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
      // the history started again: its offsets did too
      stream.delivered = Sequencer.UNKNOWN;
    }
    stream.epoch = epoch;
    if (stream.recovering) {
      stream.hold(offset, text);
    } else {
      stream.write(offset, text);
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
          stream.replay();
        }
      });
    }));
  }

  /** Reads what the client missed; decides whether the gap can be closed. */
  private Future<Void> recover(String topic, Stream stream, Inbound.Since since) {
    HistoryRule rule = stream.sequencer.rule();
    long base = stream.delivered;
    return history.position(topic, rule).compose(head -> {
      if (!head.epoch.equals(since.epoch) || since.offset > head.offset) {
        // another history, or offsets it never gave
        return Future.succeededFuture();
      }
      if (since.offset >= base) {
        stream.recovered = true;
        return Future.succeededFuture();
      }
      int missed = (int) Math.min(rule.size(), base - since.offset);
      return history.read(topic, rule, since.offset + 1, missed).map(found -> {
        int n = found.size();
        boolean closesTheGap = n > 0 && found.get(0).offset == since.offset + 1
          && found.get(n - 1).offset >= base && found.get(n - 1).offset - found.get(0).offset == n - 1;
        if (closesTheGap) {
          stream.recovered = true;
          stream.missed = found;
          stream.missedEpoch = head.epoch;
        }
        return null;
      });
    }).otherwiseEmpty().mapEmpty();
  }

  private final class Stream {
    final Sequencer sequencer;
    final boolean droppable;
    /** The since of the frame that subscribed, null without. */
    final Inbound.Since since;
    long delivered;
    String epoch;
    boolean recovering;
    boolean recovered;
    List<TopicHistory.Stored> missed = List.of();
    String missedEpoch;
    private final ArrayDeque<Object[]> waiting = new ArrayDeque<>();
    private long waitingChars;

    Stream(Sequencer sequencer, boolean droppable, Inbound.Since since) {
      this.sequencer = sequencer;
      this.droppable = droppable;
      this.since = since;
      this.recovering = since != null;
    }

    void write(long offset, String text) {
      if (offset > delivered) {
        delivered = offset;
        connection.publication(text, droppable, kind);
      }
    }

    /** Bounded like the write queue: past it, the slow-consumer policy of the topic. */
    void hold(long offset, String text) {
      waiting.add(new Object[] {offset, text});
      waitingChars += text.length();
      while (waitingChars > maxWaitingChars) {
        if (!droppable) {
          connection.close(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
          return;
        }
        waitingChars -= ((String) waiting.poll()[1]).length();
      }
    }

    /** The missed publications, then those that waited, each once, in order. */
    void replay() {
      if (recovered) {
        // the client has everything up to since; the missed ones reach up to where live began
        delivered = since.offset;
        for (TopicHistory.Stored stored : missed) {
          write(stored.offset, TopicHistory.withOffset(stored.frame, stored.offset, missedEpoch));
        }
      }
      missed = List.of();
      recovering = false;
      while (!waiting.isEmpty()) {
        Object[] next = waiting.poll();
        write((Long) next[0], (String) next[1]);
      }
      waitingChars = 0;
    }
  }
}
