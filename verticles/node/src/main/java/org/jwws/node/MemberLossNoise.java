package org.jwws.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a routine member loss from paging anyone. When a member dies, the survivors' libraries
 * log what they see of it at WARN and ERROR, many times and with stack traces, although none of
 * it is an error of the survivor (CLUSTER-NOTES). The node logs ONE WARN line per lost member
 * itself (the member listener); the libraries' lines listed here are logged at DEBUG instead,
 * on their own loggers, without the stack trace. Only these exact messages are touched: any
 * other WARN or ERROR of the same loggers passes as it is.
 * <ul>
 *   <li>Vert.x 5.1.6 {@code ClusteredEventBus}: "Connecting to server X failed" with the
 *   connection refused, once per message routed to the dead member until its registrations are
 *   gone (about 0.4 s, 40 lines with a stack trace each under load). The first one per member
 *   and minute stays visible at INFO: a member the event bus cannot reach while Hazelcast still
 *   lists it is worth a line.</li>
 *   <li>Vert.x 5.1.6 {@code ConnectionBase}: ERROR "Connection reset" for the event-bus
 *   connection the dead member had opened to this one, which Vert.x gives no exception
 *   handler.</li>
 *   <li>Hazelcast 5.6: "Removing connection to endpoint", "Connection[...] closed. Reason:
 *   Exception in Connection" (the member's socket reset), "is suspected to be dead", "Mastership
 *   of X is accepted" (the dead member was the master: another one takes over), "Failure while
 *   executing MigrationInfo" and, on the master, "Migration failed: MigrationInfo" (a partition
 *   migration cut short by the death, or to a member that rejoins right after it; Hazelcast
 *   retries it),
 *   a partition-state operation from the dead member refused as "Not Member!",
 *   "Not Member! target:", "Following unknown addresses are found in partition table".</li>
 *   <li>vertx-micrometer-metrics 5.1.6: the clustered event bus registers its handler gauge
 *   twice at start ("This Gauge has been already registered ... vertx.eventbus.handlers").</li>
 * </ul>
 */
final class MemberLossNoise extends TurboFilter {

  private static final long UNREACHABLE_LINE_EVERY_MS = 60_000;
  private static final Pattern UNREACHABLE = Pattern.compile("^Connecting to server (\\S+) failed");
  private static final String EVENT_BUS = "io.vertx.core.eventbus.impl.clustered.ClusteredEventBus";
  private static final Map<String, List<String>> ROUTINE = Map.ofEntries(
    Map.entry("io.vertx.core.net.impl.ConnectionBase", List.of("Connection reset")),
    Map.entry("com.hazelcast.internal.server.tcp.TcpServerConnectionErrorHandler", List.of("Removing connection to endpoint")),
    Map.entry("com.hazelcast.internal.server.tcp.TcpServerConnection", List.of("closed. Reason: Exception in Connection")),
    Map.entry("com.hazelcast.internal.cluster.impl.MembershipManager", List.of("is suspected to be dead")),
    Map.entry("com.hazelcast.internal.cluster.ClusterService", List.of("is accepted. Response: MembersView")),
    Map.entry("com.hazelcast.internal.partition.operation.MigrationRequestOperation", List.of("Failure while executing MigrationInfo")),
    Map.entry("com.hazelcast.internal.partition.impl.MigrationManagerImpl", List.of("Migration failed: MigrationInfo")),
    Map.entry("com.hazelcast.internal.partition.operation.PartitionStateOperation", List.of("CallerNotMemberException: Not Member!")),
    Map.entry("com.hazelcast.spi.impl.operationservice.OperationService", List.of("Not Member! target:")),
    Map.entry("com.hazelcast.spi.impl.operationservice.impl.InvokeOnPartitions", List.of("Not Member! target:")),
    Map.entry("com.hazelcast.internal.partition.impl.PartitionStateManager", List.of("Following unknown addresses are found in partition table")),
    Map.entry("com.hazelcast.internal.partition.InternalPartitionService", List.of("Following unknown addresses are found in partition table")),
    Map.entry("io.micrometer.core.instrument.MeterRegistry", List.of("name='vertx.eventbus.handlers'")));

  /** Member id to when its unreachable line was last shown. */
  private final Map<String, Long> unreachableShownAt = new ConcurrentHashMap<>();

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null || !level.isGreaterOrEqual(Level.WARN)) {
      return FilterReply.NEUTRAL;
    }
    String name = logger.getName();
    if (EVENT_BUS.equals(name)) {
      return unreachable(logger, format, t);
    }
    List<String> routine = ROUTINE.get(name);
    if (routine != null && routine.stream().anyMatch(format::contains)) {
      logger.debug("{} (routine while a member leaves: logged at DEBUG)", firstLine(format));
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  private FilterReply unreachable(Logger logger, String format, Throwable t) {
    Matcher matcher = UNREACHABLE.matcher(format);
    if (!matcher.find()) {
      return FilterReply.NEUTRAL;
    }
    String member = matcher.group(1);
    String cause = rootCause(t);
    long now = System.currentTimeMillis();
    Long shownAt = unreachableShownAt.get(member);
    if (shownAt == null || now - shownAt >= UNREACHABLE_LINE_EVERY_MS) {
      // members come and go (rolling restarts): forget those not seen for a while
      unreachableShownAt.values().removeIf(at -> now - at >= UNREACHABLE_LINE_EVERY_MS);
      unreachableShownAt.put(member, now);
      logger.info("event bus cannot reach member {} ({}): messages routed to it are lost "
        + "until the cluster removes it; further attempts are logged at DEBUG", member, cause);
    } else {
      logger.debug("event bus cannot reach member {} ({})", member, cause);
    }
    return FilterReply.DENY;
  }

  private static String rootCause(Throwable t) {
    if (t == null) {
      return "no cause given";
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
