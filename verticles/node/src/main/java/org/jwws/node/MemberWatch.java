package org.jwws.node;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * Listens to the cluster's membership: one WARN line per member that left (gracefully or not),
 * and the callback (the gateway's {@code memberLeft}) so requests held there end at once. It
 * takes the cluster manager's one node listener: the node runs without Vert.x HA, whose
 * manager would want it too.
 */
final class MemberWatch implements NodeListener {

  private static final Logger log = LoggerFactory.getLogger(MemberWatch.class);

  private final ClusterManager clusterManager;
  private final Consumer<String> memberLeft;

  private MemberWatch(ClusterManager clusterManager, Consumer<String> memberLeft) {
    this.clusterManager = clusterManager;
    this.memberLeft = memberLeft;
  }

  static void watch(ClusterManager clusterManager, Consumer<String> memberLeft) {
    clusterManager.nodeListener(new MemberWatch(clusterManager, memberLeft));
  }

  @Override
  public void nodeAdded(String nodeId) {
    log.info("cluster member {} joined ({} members)", nodeId, clusterManager.getNodes().size());
  }

  /** Called on a cluster manager thread: the callback only schedules work. */
  @Override
  public void nodeLeft(String nodeId) {
    log.warn("cluster member {} left ({} members)", nodeId, clusterManager.getNodes().size());
    try {
      memberLeft.accept(nodeId);
    } catch (RuntimeException e) {
      log.warn("handling the loss of member {} failed", nodeId, e);
    }
  }
}
