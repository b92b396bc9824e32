package org.jwws.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.LocalHandlers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this JVM's handler API instances are every server a command has, so that calling them
 * directly takes no other server's share of the requests: the event bus would round-robin over
 * them alone. In a cluster that is the cluster manager's count of the command's registrations,
 * read again at most once a second while requests use it (a server deployed elsewhere gets its
 * share within about a second); until the first count comes, and whenever it differs, requests
 * take the event bus. One per node, read from every event loop.
 */
final class SoleServers {

  private static final long RECOUNT_NANOS = 1_000_000_000L;

  private final LocalHandlers local;
  /** Null when not clustered: this JVM's consumers are every server then. */
  private final ClusterManager cluster;
  private final Map<String, Count> counts = new ConcurrentHashMap<>();

  SoleServers(Vertx vertx, LocalHandlers local) {
    this.local = local;
    this.cluster = ((VertxInternal) vertx).clusterManager();
  }

  LocalHandlers local() {
    return local;
  }

  /** What serves {@code command} here when only instances {@link LocalHandlers} can call serve it, else null. */
  LocalHandlers.Servers servingAlone(String command) {
    LocalHandlers.Servers here = local.servers(command);
    if (here == null || here.direct() == 0 || here.plain() > 0) {
      return null;
    }
    if (cluster == null) {
      return here;
    }
    Count count = counts.computeIfAbsent(command, name -> new Count());
    if (System.nanoTime() - count.countedAt > RECOUNT_NANOS) {
      count.recount(command);
    }
    return count.registrations == here.direct() ? here : null;
  }

  /** The cluster's registrations of one command's address, as last counted. */
  private final class Count {

    private final AtomicBoolean counting = new AtomicBoolean();
    /** -1 until counted. */
    private volatile int registrations = -1;
    private volatile long countedAt = System.nanoTime() - 2 * RECOUNT_NANOS;

    void recount(String command) {
      if (!counting.compareAndSet(false, true)) {
        return;
      }
      cluster.getRegistrations(Addresses.command(command), (list, err) -> {
        // a failed count means: not sure, so the event bus
        registrations = err == null ? list.size() : -1;
        countedAt = System.nanoTime();
        counting.set(false);
      });
    }
  }
}
