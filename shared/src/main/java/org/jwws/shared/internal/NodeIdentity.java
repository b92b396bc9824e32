package org.jwws.shared.internal;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * The cluster node id of a Vert.x instance: the id the cluster manager's membership events
 * name (Vert.x has no public getter for it).
 */
public final class NodeIdentity {

  private NodeIdentity() {
  }

  /** The node id, or null when {@code vertx} is not clustered. */
  public static String of(Vertx vertx) {
    if (!vertx.isClustered() || !(vertx instanceof VertxInternal)) {
      return null;
    }
    ClusterManager clusterManager = ((VertxInternal) vertx).clusterManager();
    return clusterManager == null ? null : clusterManager.getNodeId();
  }
}
