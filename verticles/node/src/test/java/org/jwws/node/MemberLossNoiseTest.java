package org.jwws.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a survivor's log shows of the libraries' lines when a member dies: only what matters. */
class MemberLossNoiseTest {

  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void setUp() {
    MemberLossNoise filter = new MemberLossNoise();
    filter.setContext(context);
    filter.start();
    context.addTurboFilter(filter);
    appender.setContext(context);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
  }

  @Test
  void theEventBusLinesOfOneLostMemberBecomeOneInfoLineWithoutTrace() {
    Logger eventBus = context.getLogger("io.vertx.core.eventbus.impl.clustered.ClusteredEventBus");
    IOException refused = new IOException("Connection refused: /127.0.0.1:33829", new ConnectException("Connection refused"));
    for (int i = 0; i < 40; i++) {
      eventBus.warn("Connecting to server node-2 failed", refused);
    }
    eventBus.warn("Connecting to server node-3 failed", refused);
    assertEquals(List.of(
        "INFO event bus cannot reach member node-2 (ConnectException: Connection refused): messages routed to it are lost "
          + "until the cluster removes it; further attempts are logged at DEBUG",
        "INFO event bus cannot reach member node-3 (ConnectException: Connection refused): messages routed to it are lost "
          + "until the cluster removes it; further attempts are logged at DEBUG"),
      lines());
    assertEquals(List.of(false, false), appender.list.stream().map(e -> e.getThrowableProxy() != null).collect(Collectors.toList()));
  }

  @Test
  void routineHazelcastAndVertxLinesGoToDebugAndOthersPass() {
    context.getLogger("com.hazelcast.internal.cluster.impl.MembershipManager")
      .warn("[127.0.0.1]:5702 [jw] [5.6.0] Member [127.0.0.1]:5703 - 6a85 is suspected to be dead for reason: No connection");
    context.getLogger("com.hazelcast.internal.server.tcp.TcpServerConnectionErrorHandler")
      .warn("[127.0.0.1]:5701 [jw] [5.6.0] Removing connection to endpoint [127.0.0.1]:5703 Cause => java.io.IOException");
    context.getLogger("io.vertx.core.net.impl.ConnectionBase").error("Connection reset");
    context.getLogger("com.hazelcast.internal.cluster.ClusterService")
      .warn("[127.0.0.1]:5702 [jw] [5.6.0] Mastership of [127.0.0.1]:5703 is accepted. Response: MembersView{version=3}");
    context.getLogger("com.hazelcast.internal.partition.impl.MigrationManagerImpl")
      .warn("[127.0.0.1]:5702 [jw] [5.6.0] Migration failed: MigrationInfo{uuid=c1fc7443, partitionId=2, status=ACTIVE}");
    context.getLogger("com.hazelcast.internal.partition.impl.MigrationManagerImpl").warn("Partition table is stale");
    context.getLogger("io.vertx.core.eventbus.impl.clustered.ClusteredEventBus").warn("something else went wrong");
    context.getLogger("com.hazelcast.internal.cluster.impl.MembershipManager").warn("split brain detected");
    context.getLogger("io.vertx.core.net.impl.ConnectionBase").error("Connection closed by a codec failure");
    assertEquals(List.of("WARN Partition table is stale", "WARN something else went wrong", "WARN split brain detected", "ERROR Connection closed by a codec failure"),
      lines());
  }

  private List<String> lines() {
    return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).collect(Collectors.toList());
  }
}
