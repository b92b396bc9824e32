package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

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
final class HistoryStreams implements HistoryStream.Owner {

  private final Recipient connection;
  private final Outbox outbox;
  private final TopicHistory history;
  private final GatewayMetrics metrics;
  private final int maxWaitingChars;
  private final Map<String, HistoryStream> streams = new HashMap<>();
  /** Streams acked and not yet live: their replay is written as the socket has room. */
  private final List<HistoryStream> replaying = new ArrayList<>();
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
    HistoryStream stream = new HistoryStream(this, connection, outbox, history, metrics, maxWaitingChars, topic, sequencer, since);
    stream.delivered = sequencer.position();
    stream.epoch = sequencer.epoch();
    streams.put(topic, stream);
  }

  void left(String topic) {
    HistoryStream stream = streams.remove(topic);
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
    HistoryStream stream = streams.get(topic);
    if (stream == null) {
      return;
    }
    if (stream.epoch != null && !stream.epoch.equals(epoch)) {
      // the history started again: its offsets did too, and what was missed of the old one is gone
      stream.delivered = Sequencer.UNKNOWN;
      stream.forgetMissed();
      stream.forgetWaiting();
    }
    stream.epoch = epoch;
    if (stream.recovering) {
      stream.hold(offset, text);
    } else {
      stream.write(offset, text);
    }
  }

  /** The socket has room (or a page was read): the replays go on as far as it lasts. */
  @Override
  public void pump() {
    if (pumping || replaying.isEmpty()) {
      // inside a write whose frame the socket took at once: the loop below goes on
      return;
    }
    pumping = true;
    try {
      for (HistoryStream stream : replaying.toArray(new HistoryStream[0])) {
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
    Map<String, HistoryStream> recovering = new HashMap<>();
    for (String topic : in.topics) {
      HistoryStream stream = streams.get(topic);
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
        HistoryStream stream = streams.get(topic);
        if (stream != null) {
          HistoryStream mine = recovering.get(topic);
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
  private Future<Void> recover(String topic, HistoryStream stream, Inbound.Since since) {
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
      int first = (int) Math.min(HistoryStream.PAGE, base - since.offset);
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

  @Override
  public boolean current(HistoryStream stream) {
    return streams.get(stream.topic) == stream;
  }

  @Override
  public boolean replaying(HistoryStream stream) {
    return replaying.contains(stream);
  }

  @Override
  public void replayStarted(HistoryStream stream) {
    replaying.add(stream);
  }

  @Override
  public void replayDone(HistoryStream stream) {
    replaying.remove(stream);
  }
}
