package org.jwws.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * Listens to the cluster's membership: one WARN line per member that left (gracefully or not),
 * and the callback (the gateway's {@code memberLeft}) so requests held there end at once.
 * <p>
 * It listens to Hazelcast itself, not to Vert.x's {@code ClusterManager#nodeListener}: Vert.x
 * calls that only after it has removed the member's event-bus registrations from the cluster
 * map, seconds after Hazelcast dropped the member (about 3 s measured here); and it leaves
 * Vert.x's one node listener to Vert.x (HA).
 */
final class MemberWatch implements MembershipListener {

  private static final Logger log = LoggerFactory.getLogger(MemberWatch.class);
  /** The member attribute in which Vert.x's Hazelcast cluster manager keeps the Vert.x node id. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final Consumer<String> memberLeft;

  private MemberWatch(Consumer<String> memberLeft) {
    this.memberLeft = memberLeft;
  }

  static void watch(HazelcastClusterManager clusterManager, Consumer<String> memberLeft) {
    clusterManager.getHazelcastInstance().getCluster().addMembershipListener(new MemberWatch(memberLeft));
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    log.info("cluster member {} joined ({} members)", nodeId(event.getMember()), event.getMembers().size());
  }

  /** Called on a Hazelcast event thread: the callback only schedules work. */
  @Override
  public void memberRemoved(MembershipEvent event) {
    String nodeId = nodeId(event.getMember());
    log.warn("cluster member {} left ({} members)", nodeId, event.getMembers().size());
    try {
      memberLeft.accept(nodeId);
    } catch (RuntimeException e) {
      log.warn("handling the loss of member {} failed", nodeId, e);
    }
  }

  private static String nodeId(Member member) {
    String nodeId = member.getAttribute(NODE_ID_ATTRIBUTE);
    return nodeId != null ? nodeId : member.getUuid().toString();
  }
}
