package org.jwws.gateway;

import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The history of a standalone node: in its memory, gone with it (a restart is a new epoch). */
final class MemoryHistoryStore implements HistoryStore {

  private final Map<String, Ring> rings = new HashMap<>();

  @Override
  public synchronized Future<Appended> append(String topic, int size, List<String> frames, long timeMs) {
    Ring ring = ring(topic, size);
    long first = ring.tail + 1;
    for (String frame : frames) {
      ring.items.add(new Stored(++ring.tail, timeMs, frame));
      if (ring.items.size() > size) {
        ring.items.poll();
      }
    }
    return Future.succeededFuture(new Appended(first, ring.epoch));
  }

  @Override
  public synchronized Future<Position> position(String topic, int size) {
    Ring ring = ring(topic, size);
    return Future.succeededFuture(new Position(ring.tail, ring.epoch));
  }

  @Override
  public synchronized Future<List<Stored>> read(String topic, int size, long fromOffset, int max) {
    List<Stored> out = new ArrayList<>();
    for (Stored stored : ring(topic, size).items) {
      if (out.size() == max) {
        break;
      }
      if (stored.offset >= fromOffset) {
        out.add(stored);
      }
    }
    return Future.succeededFuture(out);
  }

  private Ring ring(String topic, int size) {
    return rings.computeIfAbsent(topic, t -> new Ring(Epochs.next()));
  }

  private static final class Ring {
    final String epoch;
    final ArrayDeque<Stored> items = new ArrayDeque<>();
    long tail;

    Ring(String epoch) {
      this.epoch = epoch;
    }
  }
}
