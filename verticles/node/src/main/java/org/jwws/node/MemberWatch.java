package org.jwws.node;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Watches the cluster's membership: one WARN line per member that left (gracefully or not),
 * and the callback (the gateway's {@code memberLeft}) so requests held there end at once.
 * <p>
 * It listens to Hazelcast itself, not to Vert.x's {@code ClusterManager#nodeListener}: Vert.x
 * calls that only after it has removed the member's event-bus registrations from the cluster
 * map, seconds after Hazelcast dropped the member (about 3 s measured here); and it leaves
 * Vert.x's one node listener to Vert.x (HA).
 * <p>
 * Hazelcast hands a membership event to each listener on one of its few event threads, picked
 * by the listener's registration id, and Vert.x's own listener does that same cleanup on its
 * thread before it returns. A listener that drew Vert.x's thread got the event seconds late (CI
 * saw 503s 3 s after a loss). So the member list, which Hazelcast updates before it sends the
 * events, is also read every {@link #POLL_MS} ms on a Vert.x timer. Whichever notices first
 * reports the member, once.
 */
final class MemberWatch implements MembershipListener {

  static final long POLL_MS = 200;
  private static final int MAX_DEPARTED = 1_024;
  private static final Logger log = LoggerFactory.getLogger(MemberWatch.class);
  /** The member attribute in which Vert.x's Hazelcast cluster manager keeps the Vert.x node id. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final Consumer<String> memberLeft;
  private final Cluster cluster;
  /** The members seen and not yet reported as gone, by Hazelcast's member id. */
  private final Map<UUID, Member> present = new HashMap<>();
  /**
   * The last members reported as gone: a join event that comes after the member list showed it
   * gone must not bring it back. Member ids are never reused (a restarted member has a new one).
   */
  private final Set<UUID> departed = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
      return size() > MAX_DEPARTED;
    }
  });

  private MemberWatch(Cluster cluster, Consumer<String> memberLeft) {
    this.cluster = cluster;
    this.memberLeft = memberLeft;
  }

  static void watch(Vertx vertx, HazelcastClusterManager clusterManager, Consumer<String> memberLeft) {
    Cluster cluster = clusterManager.getHazelcastInstance().getCluster();
    MemberWatch watch = new MemberWatch(cluster, memberLeft);
    cluster.addMembershipListener(watch);
    watch.poll();
    vertx.setPeriodic(POLL_MS, id -> {
      if (!watch.poll()) {
        vertx.cancelTimer(id);
      }
    });
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    synchronized (this) {
      if (!departed.contains(event.getMember().getUuid())) {
        present.put(event.getMember().getUuid(), event.getMember());
      }
    }
    log.info("cluster member {} joined ({} members)", nodeId(event.getMember()), event.getMembers().size());
  }

  /** Called on a Hazelcast event thread: the callback only schedules work. */
  @Override
  public void memberRemoved(MembershipEvent event) {
    left(event.getMember(), event.getMembers().size());
  }

  /**
   * Compares the member list with the members seen: the new ones are noted, the missing ones
   * have left.
   *
   * @return false once this node's member is shut down: nothing more to watch
   */
  private boolean poll() {
    Set<Member> members;
    UUID self;
    try {
      members = cluster.getMembers();
      self = cluster.getLocalMember().getUuid();
    } catch (HazelcastInstanceNotActiveException e) {
      return false;
    }
    if (members.stream().noneMatch(member -> member.getUuid().equals(self))) {
      // this member is leaving: the list says nothing about the others
      return false;
    }
    List<Member> gone = new ArrayList<>();
    synchronized (this) {
      Set<UUID> current = new HashSet<>();
      for (Member member : members) {
        current.add(member.getUuid());
        present.putIfAbsent(member.getUuid(), member);
      }
      for (Member member : present.values()) {
        if (!current.contains(member.getUuid())) {
          gone.add(member);
        }
      }
    }
    gone.forEach(member -> left(member, members.size()));
    return true;
  }

  /** Reports {@code member} gone unless it was already. */
  private void left(Member member, int members) {
    synchronized (this) {
      if (present.remove(member.getUuid()) == null) {
        return;
      }
      departed.add(member.getUuid());
    }
    String nodeId = nodeId(member);
    log.warn("cluster member {} left ({} members)", nodeId, members);
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
