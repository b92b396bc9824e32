package org.jwws.node;

import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jwws.gateway.Epochs;
import org.jwws.gateway.HistoryStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * History held in the cluster: one Hazelcast Ringbuffer per topic ({@value #PREFIX}{@code <topic>},
 * capacity = the topic's size, one backup), whose sequence is the offset (sequence + 1), so
 * offsets are cluster-wide and survive the loss of any one member. Items are
 * {@code <timeMs>\n<frame>}: the TTL is in ms, checked on read. The epoch of a topic is in the
 * map {@value #EPOCHS} (one backup), created with the topic's history: a cluster restarted
 * as a whole has lost both, and starts a new epoch.
 */
final class HazelcastHistoryStore implements HistoryStore {

  static final String PREFIX = "jw.history.";
  static final String EPOCHS = "jw.history-epochs";
  /** Ringbuffer's own bound on one read. */
  private static final int MAX_READ = 1_000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final ConcurrentMap<String, Ringbuffer<String>> rings = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> epochs = new ConcurrentHashMap<>();

  HazelcastHistoryStore(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  @Override
  public Future<Appended> append(String topic, int size, List<String> frames, long timeMs) {
    List<String> items = new ArrayList<>(frames.size());
    frames.forEach(frame -> items.add(timeMs + "\n" + frame));
    return ring(topic, size).compose(ring -> epoch(topic).compose(epoch ->
      Future.fromCompletionStage(ring.addAllAsync(items, OverflowPolicy.OVERWRITE))
        // the sequence of the last item: offsets are sequences + 1
        .map(last -> new Appended(last - items.size() + 2, epoch))));
  }

  @Override
  public Future<Position> position(String topic, int size) {
    return ring(topic, size).compose(ring -> epoch(topic).compose(epoch ->
      vertx.executeBlocking(() -> new Position(ring.tailSequence() + 1, epoch), false)));
  }

  @Override
  public Future<List<Stored>> read(String topic, int size, long fromOffset, int max) {
    return ring(topic, size).compose(ring -> vertx.executeBlocking(() -> {
      List<Stored> out = new ArrayList<>();
      long sequence = Math.max(fromOffset - 1, ring.headSequence());
      long tail = ring.tailSequence();
      while (out.size() < max && sequence <= tail) {
        int batch = (int) Math.min(MAX_READ, Math.min(max - out.size(), tail - sequence + 1));
        ReadResultSet<String> read = ring.readManyAsync(sequence, 0, batch, null).toCompletableFuture().get();
        if (read.size() == 0) {
          break;
        }
        for (int i = 0; i < read.size(); i++) {
          String item = read.get(i);
          int cut = item.indexOf('\n');
          out.add(new Stored(read.getSequence(i) + 1, Long.parseLong(item.substring(0, cut)), item.substring(cut + 1)));
        }
        sequence = read.getNextSequenceToReadFrom();
      }
      return out;
    }, false));
  }

  /** The topic's ringbuffer, its capacity configured (cluster-wide, once per topic and node) before first use. */
  private Future<Ringbuffer<String>> ring(String topic, int size) {
    Ringbuffer<String> known = rings.get(topic);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.executeBlocking(() -> rings.computeIfAbsent(topic, t -> {
      String name = PREFIX + t;
      hazelcast.getConfig().addRingBufferConfig(new RingbufferConfig(name).setCapacity(size).setBackupCount(1));
      return hazelcast.getRingbuffer(name);
    }), false);
  }

  private Future<String> epoch(String topic) {
    String known = epochs.get(topic);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.executeBlocking(() -> {
      IMap<String, String> map = hazelcast.getMap(EPOCHS);
      String mine = Epochs.next();
      String existing = map.putIfAbsent(topic, mine);
      String epoch = existing == null ? mine : existing;
      epochs.put(topic, epoch);
      return epoch;
    }, false);
  }
}
