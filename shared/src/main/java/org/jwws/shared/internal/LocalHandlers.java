package org.jwws.shared.internal;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
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

  /** What serves one command in this Vert.x instance: replaced whole on every change, read without a lock. */
  public static final class Servers {

    private final Instance[] instances;
    private final int plain;

    private Servers(Instance[] instances, int plain) {
      this.instances = instances;
      this.plain = plain;
    }

    /** Instances that can be called directly. */
    public int direct() {
      return instances.length;
    }

    /** Plain consumers, as counted by {@link #plainAdded}. */
    public int plain() {
      return plain;
    }
  }

  private final Map<String, Servers> byCommand = new ConcurrentHashMap<>();
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
    change(command, (instances, plain) -> {
      Instance[] more = Arrays.copyOf(instances, instances.length + 1);
      more[more.length - 1] = instance;
      return new Servers(more, plain);
    });
  }

  public void remove(String command, Instance instance) {
    change(command, (instances, plain) ->
      new Servers(Arrays.stream(instances).filter(each -> each != instance).toArray(Instance[]::new), plain));
  }

  /** A consumer of {@code command} that is not a handler API instance (it shares the requests over the event bus). */
  public void plainAdded(String command) {
    change(command, (instances, plain) -> new Servers(instances, plain + 1));
  }

  public void plainRemoved(String command) {
    change(command, (instances, plain) -> new Servers(instances, Math.max(0, plain - 1)));
  }

  /** What serves {@code command} here, null when nothing does. */
  public Servers servers(String command) {
    return byCommand.get(command);
  }

  private void change(String command, BiFunction<Instance[], Integer, Servers> change) {
    byCommand.compute(command, (name, servers) -> {
      Servers changed = servers == null ? change.apply(NONE, 0) : change.apply(servers.instances, servers.plain);
      return changed.instances.length == 0 && changed.plain == 0 ? null : changed;
    });
  }

  /**
   * The instance to call for a request arriving on the current thread: the one running on this
   * event loop (no thread hop, its answer written in the same turn), else the next idle one in
   * turn, else the next in turn (its queue bound answers 503 as it would over the event bus);
   * null when there is none.
   */
  public Instance pick(Servers servers) {
    Instance[] instances = servers.instances;
    if (instances.length == 0) {
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
