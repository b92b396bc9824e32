package org.jwws.shared.internal;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handler API instances of one Vert.x instance, by command: what its gateway may call
 * directly ({@link DirectCall}) instead of sending over the event bus. An instance is listed once
 * its event-bus consumers are registered and removed before they are unregistered, so the two
 * paths serve the same set. It also counts the plain consumers of commands in this instance that
 * it cannot call (the bridge's), so that the gateway knows when a command has other servers.
 * Read on every request: lookups take no lock.
 */
public final class LocalHandlers implements Shareable {

  /** One handler instance serving one command. */
  public interface Instance {

    /** The thread it runs requests on when it runs them on an event loop, else null (a worker). */
    Thread eventLoopThread();

    /** It has requests waiting for its worker: a new one would wait too. */
    boolean busy();

    /** Takes the request: runs it now when called on its own event loop, else queues it. */
    void call(DirectCall call);
  }

  private static final String MAP = "jw.local-handlers";
  private static final Instance[] NONE = new Instance[0];

  private final Map<String, Instance[]> byCommand = new ConcurrentHashMap<>();
  private final Map<String, Integer> plainByCommand = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  private LocalHandlers() {
  }

  public static synchronized LocalHandlers of(Vertx vertx) {
    LocalMap<String, LocalHandlers> map = vertx.sharedData().getLocalMap(MAP);
    LocalHandlers handlers = map.get(MAP);
    if (handlers == null) {
      handlers = new LocalHandlers();
      map.put(MAP, handlers);
    }
    return handlers;
  }

  public void add(String command, Instance instance) {
    byCommand.compute(command, (name, instances) -> {
      Instance[] more = instances == null ? NONE : instances;
      more = Arrays.copyOf(more, more.length + 1);
      more[more.length - 1] = instance;
      return more;
    });
  }

  public void remove(String command, Instance instance) {
    byCommand.computeIfPresent(command, (name, instances) -> {
      Instance[] fewer = Arrays.stream(instances).filter(each -> each != instance).toArray(Instance[]::new);
      return fewer.length == 0 ? null : fewer;
    });
  }

  /** Instances of {@code command} that can be called directly. */
  public int count(String command) {
    Instance[] instances = byCommand.get(command);
    return instances == null ? 0 : instances.length;
  }

  /** A consumer of {@code command} that is not a handler API instance (it shares the requests over the event bus). */
  public void plainAdded(String command) {
    plainByCommand.merge(command, 1, Integer::sum);
  }

  public void plainRemoved(String command) {
    plainByCommand.computeIfPresent(command, (name, count) -> count <= 1 ? null : count - 1);
  }

  /** Plain consumers of {@code command} in this Vert.x instance, as counted by {@link #plainAdded}. */
  public int plainCount(String command) {
    return plainByCommand.getOrDefault(command, 0);
  }

  /**
   * The instance to call for a request arriving on the current thread: the one running on this
   * event loop (no thread hop, its answer written in the same turn), else the next idle one in
   * turn, else the next in turn (its queue bound answers 503 as it would over the event bus);
   * null when there is none.
   */
  public Instance pick(String command) {
    Instance[] instances = byCommand.get(command);
    if (instances == null) {
      return null;
    }
    Thread current = Thread.currentThread();
    for (Instance instance : instances) {
      if (instance.eventLoopThread() == current) {
        return instance;
      }
    }
    int start = Math.floorMod(next.getAndIncrement(), instances.length);
    for (int i = 0; i < instances.length; i++) {
      Instance instance = instances[(start + i) % instances.length];
      if (!instance.busy()) {
        return instance;
      }
    }
    return instances[start];
  }
}
