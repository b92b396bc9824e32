package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A set of connections that receive the same frames: one topic's local subscribers, or every
 * connection of the node for broadcasts (and the node's drain and liveness rounds). Deliveries
 * read an immutable snapshot grouped by event loop, so a frame is handed to each event loop
 * once, and the set is only locked when it changes.
 */
final class Audience {

  private final Set<Connection> members = new HashSet<>();
  /** What its frames count as: publications for a topic, pushes for the broadcast audience. */
  private final Counter kind;
  private volatile Group[] snapshot = new Group[0];

  Audience(Counter kind) {
    this.kind = kind;
  }

  synchronized boolean add(Connection connection) {
    boolean added = members.add(connection);
    if (added) {
      snapshot = null;
    }
    return added;
  }

  synchronized boolean remove(Connection connection) {
    boolean removed = members.remove(connection);
    if (removed) {
      snapshot = null;
    }
    return removed;
  }

  synchronized boolean isEmpty() {
    return members.isEmpty();
  }

  synchronized int size() {
    return members.size();
  }

  /**
   * Writes {@code text} to every member, on each member's own event loop.
   *
   * @param droppable a slow member may lose it (drop-oldest topics) instead of being closed
   * @return the members it was handed to
   */
  int deliver(String text, boolean droppable) {
    return forEachOnLoop(member -> member.publication(text, droppable, kind));
  }

  /**
   * Runs {@code action} for every member on the member's own event loop: one task per loop,
   * not one per member.
   *
   * @return the members it runs for
   */
  int forEachOnLoop(Consumer<Connection> action) {
    Group[] groups = snapshot;
    if (groups == null) {
      groups = rebuild();
    }
    Thread current = Thread.currentThread();
    int members = 0;
    for (Group group : groups) {
      members += group.members.length;
      if (group.thread == current) {
        group.run(action);
      } else {
        group.members[0].context().runOnContext(v -> group.run(action));
      }
    }
    return members;
  }

  private synchronized Group[] rebuild() {
    if (snapshot != null) {
      return snapshot;
    }
    Map<Thread, List<Connection>> byThread = new HashMap<>();
    for (Connection member : members) {
      byThread.computeIfAbsent(member.thread(), t -> new ArrayList<>()).add(member);
    }
    Group[] groups = byThread.entrySet().stream()
      .map(e -> new Group(e.getKey(), e.getValue().toArray(new Connection[0])))
      .toArray(Group[]::new);
    snapshot = groups;
    return groups;
  }

  /** The members served by one event loop. */
  private static final class Group {

    final Thread thread;
    final Connection[] members;

    Group(Thread thread, Connection[] members) {
      this.thread = thread;
      this.members = members;
    }

    void run(Consumer<Connection> action) {
      for (Connection member : members) {
        action.accept(member);
      }
    }
  }
}
