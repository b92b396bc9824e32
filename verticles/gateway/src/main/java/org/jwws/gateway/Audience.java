package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A set of members that receive the same frames: one topic's local subscriptions, or every
 * connection of the node for broadcasts (and the node's drain and liveness rounds). Deliveries
 * read arrays grouped by event loop, so a frame is handed to each event loop once, and the set
 * is only locked when it changes.
 * <p>
 * A change costs O(1) amortized, however many members there are (a hot topic toggled by one
 * client must not cost a copy of its subscribers per toggle): a member joins by being appended
 * to its loop's array (which doubles when full), one that leaves has its slot cleared, and the
 * arrays are rebuilt without the holes once there are more holes than members. A delivery
 * already on its way to a loop skips a member that is no longer {@link Member#present() present}
 * there.
 */
final class Audience<M extends Audience.Member> {

  /** Holes left in the arrays before a rebuild is considered at all. */
  private static final int MIN_HOLES_BEFORE_REBUILD = 16;

  /** What an audience is made of. */
  interface Member {

    /** Whom it is served for, on whose event loop it is handed frames. */
    Recipient recipient();

    /**
     * False once it left; read on its recipient's loop, so a member that left there gets
     * nothing that was already on its way to it.
     */
    boolean present();

    /** Where it sits in its loop's array: kept by the (one) audience it is a member of. */
    int slot();

    void slot(int slot);
  }

  private final Set<M> members = new HashSet<>();
  /** What its frames count as: publications for a topic, pushes for the broadcast audience. */
  private final Counter kind;
  private volatile Group<?>[] groups = new Group<?>[0];
  private volatile int size;
  /** Slots cleared since the arrays were last rebuilt. */
  private int holes;

  Audience(Counter kind) {
    this.kind = kind;
  }

  synchronized boolean add(M member) {
    if (!members.add(member)) {
      return false;
    }
    size = members.size();
    Group<?>[] current = groups;
    for (int i = 0; i < current.length; i++) {
      if (current[i].thread == member.recipient().thread()) {
        if (!current[i].append(member)) {
          // full: this loop's array doubles (the others stay), O(1) amortized
          Group<?>[] replaced = current.clone();
          replaced[i] = current[i].grown(member);
          groups = replaced;
        }
        return true;
      }
    }
    // a loop that serves no member yet: at most once per event loop while members stay
    Group<?>[] grown = new Group<?>[current.length + 1];
    System.arraycopy(current, 0, grown, 0, current.length);
    grown[current.length] = new Group<>(member.recipient(), 1);
    grown[current.length].append(member);
    groups = grown;
    return true;
  }

  synchronized boolean remove(M member) {
    if (!members.remove(member)) {
      return false;
    }
    size = members.size();
    for (Group<?> group : groups) {
      if (group.thread == member.recipient().thread()) {
        group.clear(member);
      }
    }
    holes++;
    if (holes > MIN_HOLES_BEFORE_REBUILD && holes > members.size()) {
      rebuild();
    }
    return true;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /**
   * Writes {@code text} to every member, on each member's own event loop.
   *
   * @param droppable a slow member may lose it (drop-oldest topics) instead of being closed
   * @return the members it was handed to
   */
  int deliver(String text, boolean droppable) {
    return forEachOnLoop(member -> member.recipient().publication(text, droppable, kind));
  }

  /**
   * Runs {@code action} for every member on the member's own event loop: one task per loop,
   * not one per member.
   *
   * @return the members it runs for
   */
  int forEachOnLoop(Consumer<? super M> action) {
    Thread current = Thread.currentThread();
    for (Group<?> untyped : groups) {
      @SuppressWarnings("unchecked")
      Group<M> group = (Group<M>) untyped;
      if (group.thread == current) {
        group.run(action);
      } else {
        group.context.runOnContext(v -> group.run(action));
      }
    }
    return size;
  }

  /**
   * Runs {@code then} once every event loop of the members ran what was handed to it before:
   * one task per loop. Flow markers are credited this way, so what a publisher may send next
   * is bounded by what the members' loops have really taken, not by what waits for them.
   */
  void afterDeliveries(Runnable then) {
    Group<?>[] current = groups;
    Thread thread = Thread.currentThread();
    AtomicInteger waiting = new AtomicInteger(current.length + 1);
    Runnable oneDone = () -> {
      if (waiting.decrementAndGet() == 0) {
        then.run();
      }
    };
    for (Group<?> group : current) {
      if (group.thread == thread) {
        oneDone.run();
      } else {
        group.context.runOnContext(v -> oneDone.run());
      }
    }
    oneDone.run();
  }

  /** New arrays of the members: O(members), amortized over the holes since the last. */
  private void rebuild() {
    Map<Thread, List<M>> byThread = new HashMap<>();
    for (M member : members) {
      byThread.computeIfAbsent(member.recipient().thread(), t -> new ArrayList<>()).add(member);
    }
    Group<?>[] rebuilt = new Group<?>[byThread.size()];
    int i = 0;
    for (List<M> loopMembers : byThread.values()) {
      Group<M> group = new Group<>(loopMembers.get(0).recipient(), loopMembers.size());
      loopMembers.forEach(group::append);
      rebuilt[i++] = group;
    }
    holes = 0;
    groups = rebuilt;
  }

  /**
   * The members served by one event loop. Appended to under the audience's lock; read by any
   * thread up to {@code count}, whose volatile write publishes the slots before it.
   */
  private static final class Group<M extends Member> {

    final Thread thread;
    final Context context;
    private final Member[] slots;
    private volatile int count;

    /** For members of {@code first}'s loop, with room for twice {@code expected}. */
    Group(Recipient first, int expected) {
      this(first.thread(), first.context(), new Member[Math.max(4, expected * 2)]);
    }

    private Group(Thread thread, Context context, Member[] slots) {
      this.thread = thread;
      this.context = context;
      this.slots = slots;
    }

    /** False when full. */
    boolean append(Member member) {
      int n = count;
      if (n == slots.length) {
        return false;
      }
      member.slot(n);
      slots[n] = member;
      count = n + 1;
      return true;
    }

    /** A reader may still see the member there for a moment; it is no longer present on its loop by then. */
    void clear(Member member) {
      int slot = member.slot();
      if (slot < count && slots[slot] == member) {
        slots[slot] = null;
      }
    }

    /** A copy with twice the room and {@code member} appended; this one stays valid for deliveries already under way. */
    Group<M> grown(Member member) {
      Group<M> grown = new Group<>(thread, context, Arrays.copyOf(slots, slots.length * 2));
      grown.count = count;
      grown.append(member);
      return grown;
    }

    @SuppressWarnings("unchecked")
    void run(Consumer<? super M> action) {
      int n = count;
      for (int i = 0; i < n; i++) {
        Member member = slots[i];
        if (member != null && member.present()) {
          action.accept((M) member);
        }
      }
    }
  }
}
