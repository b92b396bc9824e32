package org.jwws.gateway;

import io.vertx.core.Future;

import java.util.List;

/**
 * Where the history of topics is kept: per topic, publications numbered 1, 2, 3... (the
 * {@code offset}), the last {@code size} of them held, and an {@code epoch} that changes when
 * the history was lost. A standalone node keeps it in memory ({@link MemoryHistoryStore}); a
 * clustered one in the cluster, replicated, so that losing one member loses none of it.
 * Implementations are thread-safe and never block the caller.
 */
public interface HistoryStore {

  /**
   * Appends {@code frames} in order.
   *
   * @param size the topic's history size (the same for every call on a topic)
   * @return the offset of the first frame (the others follow it) and the topic's epoch
   */
  Future<Appended> append(String topic, int size, List<String> frames, long timeMs);

  /** The offset of the last publication (0 when none) and the topic's epoch. */
  Future<Position> position(String topic, int size);

  /**
   * Up to {@code max} publications, oldest first, from {@code fromOffset} on, or from the oldest
   * held when {@code fromOffset} is no longer held.
   */
  Future<List<Stored>> read(String topic, int size, long fromOffset, int max);

  /** Where a batch went. */
  final class Appended {
    public final long firstOffset;
    public final String epoch;

    public Appended(long firstOffset, String epoch) {
      this.firstOffset = firstOffset;
      this.epoch = epoch;
    }
  }

  /** The head of a topic's history. */
  final class Position {
    public final long offset;
    public final String epoch;

    public Position(long offset, String epoch) {
      this.offset = offset;
      this.epoch = epoch;
    }
  }

  /** One publication held: its offset, when it was appended, and its frame as published (no offset or epoch in it). */
  final class Stored {
    public final long offset;
    public final long timeMs;
    public final String frame;

    public Stored(long offset, long timeMs, String frame) {
      this.offset = offset;
      this.timeMs = timeMs;
      this.frame = frame;
    }
  }
}
