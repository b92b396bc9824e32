package org.jwws.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import org.jwws.gateway.Gateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Removes a dead member's presence entries as soon as Hazelcast reports it removed, and sends
 * their leave events: every survivor tries, each entry is removed (and announced) once.
 */
final class PresenceCleanup implements MembershipListener {

  private static final Logger log = LoggerFactory.getLogger(PresenceCleanup.class);

  static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final Gateway gateway;
  private HazelcastInstance hazelcast;
  private UUID registration;

  PresenceCleanup(Gateway gateway) {
    this.gateway = gateway;
  }

  PresenceCleanup start(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.registration = hazelcast.getCluster().addMembershipListener(this);
    return this;
  }

  void stop() {
    if (registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
    }
  }

  @Override
  public void memberAdded(MembershipEvent event) {
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    // Vert.x's node id (the one written into the entries) is a member attribute, not the member's UUID
    String node = event.getMember().getAttribute(VERTX_NODE_ID);
    if (node == null) {
      return;
    }
    gateway.presenceOfMemberGone(node).onFailure(err -> log.warn("presence entries of node {} not removed: {}", node, err.toString()));
  }
}
