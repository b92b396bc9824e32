package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.Headers;
import org.jwws.shared.internal.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-node backpressure for {@link Backend#publish} (plain topics): one per process (Vert.x
 * instance), shared by its Backends. At most {@link #window()} publications of this process
 * are in flight towards each remote node that holds a consumer for their topic; past that they
 * wait here, in order, at most {@link #maxQueued()} of them; past that {@code publish} fails
 * with {@link PublicationRefused} (counted in {@link #refused()}). Nothing waits without bound
 * on either side: not here, not in the event bus's socket towards a slow node, not in that
 * node's event-loop queues.
 * <p>
 * How a node credits: every {@link #MARKER_EVERY} publications on a topic (and, while waiting,
 * every {@link #CHECK_MS} for the uncredited rest) a flow marker (no body, headers
 * {@link Headers#KIND_MARKER}, this node's id, the topic's count so far) is published on the
 * topic after them. It reaches the same consumers in the same order; each answers it
 * ({@link FlowMarkers}) on {@code jw.credit.<this node>} once it handed what came before to
 * its recipients. Which remote nodes hold a topic's consumers is read from the cluster's
 * registrations at the topic's first publication (those sent while that lookup is under way,
 * a few ms, are not counted), read again when a node not known for it
 * credits (a new subscriber node) and, while waiting, every {@link #CHECK_MS} (a node whose
 * consumer went); a member that left is dropped at Hazelcast's member-removed event
 * ({@link #memberLeft}), or at the next check, so a dead node never holds the publisher.
 * Consumers on this node need no credit; a publication whose topic has no remote consumer
 * is sent at once, unless earlier ones wait (one queue: a publisher's order is kept).
 */
public final class PublishWindows implements Shareable {

  private static final Logger log = LoggerFactory.getLogger(PublishWindows.class);
  public static final int DEFAULT_WINDOW = 1_024;
  public static final int DEFAULT_MAX_QUEUED = 4_096;
  /** A flow marker follows this many publications on a topic. */
  static final int MARKER_EVERY = 64;
  /** While publications wait: how often dead members and gone registrations are looked for and markers repeated. */
  static final long CHECK_MS = 250;
  /** Topics whose remote consumers are remembered; the least recently published goes first. */
  static final int MAX_TOPICS = 10_000;
  private static final long REFUSAL_WARNING_INTERVAL_NANOS = 10_000_000_000L;
  private static final String MAP = "jw.publish-windows";

  private final VertxInternal vertx;
  /** Null when not clustered: every consumer is local, nothing to bound. */
  private final ClusterManager cluster;
  private final String self;
  /** Where credits arrive and the check timer runs. */
  private final ContextInternal context;
  private final Future<Void> listening;
  private final Map<String, Remote> remotes = new HashMap<>();
  private final Map<String, Targets> topics = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Targets> eldest) {
      if (size() <= MAX_TOPICS) {
        return false;
      }
      forget(eldest.getValue());
      return true;
    }
  };
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private int window = DEFAULT_WINDOW;
  private int maxQueued = DEFAULT_MAX_QUEUED;
  private long checkTimer = -1;
  private long refused;
  private long refusedSinceWarning;
  private long lastWarningNanos;

  private PublishWindows(VertxInternal vertx) {
    this.vertx = vertx;
    this.cluster = vertx.isClustered() ? vertx.clusterManager() : null;
    this.self = NodeIdentity.of(vertx);
    this.context = vertx.createEventLoopContext();
    if (cluster == null) {
      listening = Future.succeededFuture();
      return;
    }
    Promise<Void> registered = Promise.promise();
    listening = registered.future();
    context.runOnContext(v -> vertx.eventBus().consumer(Addresses.credit(self), this::credited).completion().onComplete(registered));
    listening.onComplete(ar -> {
      if (ar.failed()) {
        log.warn("credit address {} not registered, publications to remote nodes are not bounded: {}", Addresses.credit(self),
          ar.cause().toString());
      }
      drain();
    });
  }

  /** The windows of this Vert.x instance, made (and its credit address registered) at the first call. */
  public static PublishWindows of(Vertx vertx) {
    LocalMap<String, PublishWindows> map = vertx.sharedData().getLocalMap(MAP);
    PublishWindows windows = map.get("windows");
    if (windows == null) {
      synchronized (PublishWindows.class) {
        windows = map.computeIfAbsent("windows", name -> new PublishWindows((VertxInternal) vertx));
      }
    }
    return windows;
  }

  /** A cluster member left: nothing waits for it any more (nothing happens if no publication was made here). */
  public static void memberLeft(Vertx vertx, String nodeId) {
    LocalMap<String, PublishWindows> map = vertx.sharedData().getLocalMap(MAP);
    PublishWindows windows = map.get("windows");
    if (windows != null && nodeId != null) {
      windows.drop(nodeId);
    }
  }

  /**
   * Sets the publications in flight per remote node ({@link #DEFAULT_WINDOW}) and those that
   * may wait here ({@link #DEFAULT_MAX_QUEUED}).
   */
  public synchronized PublishWindows limits(int window, int maxQueued) {
    if (window < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("window must be >= 1 and maxQueued >= 0");
    }
    this.window = window;
    this.maxQueued = maxQueued;
    return this;
  }

  public synchronized int window() {
    return window;
  }

  public synchronized int maxQueued() {
    return maxQueued;
  }

  /** Publications sent to {@code nodeId}'s consumers and not yet credited. */
  public synchronized int inFlight(String nodeId) {
    Remote remote = remotes.get(nodeId);
    return remote == null ? 0 : remote.inFlight;
  }

  /** The most that were ever in flight towards {@code nodeId} at once. */
  public synchronized int maxInFlight(String nodeId) {
    Remote remote = remotes.get(nodeId);
    return remote == null ? 0 : remote.maxInFlight;
  }

  /** The remote nodes a topic's publications are counted towards now (none until its first lookup answered). */
  public synchronized Set<String> remoteNodes(String topic) {
    Targets targets = topics.get(topic);
    return targets == null ? Set.of() : Set.copyOf(targets.credits.keySet());
  }

  /** Publications waiting for credit. */
  public synchronized int queued() {
    return held.size();
  }

  /** Publications refused since the start ({@link PublicationRefused}). */
  public synchronized long refused() {
    return refused;
  }

  /**
   * Sends {@code frame} on {@code topic} now, or once the window allows; completes when it was
   * handed to the event bus, fails with {@link PublicationRefused} when the queue is full.
   */
  Future<Void> publish(String topic, String frame) {
    if (cluster == null) {
      vertx.eventBus().publish(Addresses.topic(topic), frame);
      return Future.succeededFuture();
    }
    synchronized (this) {
      if (held.isEmpty()) {
        Targets targets = targets(topic);
        if (fits(targets)) {
          send(topic, targets, frame);
          return Future.succeededFuture();
        }
        blocked();
      }
      if (held.size() >= maxQueued) {
        return Future.failedFuture(refusal());
      }
      Promise<Void> sent = vertx.promise();
      held.add(new Held(topic, frame, sent));
      return sent.future();
    }
  }

  /** Sends what waits, in order, as far as the windows allow. */
  private void drain() {
    List<Promise<Void>> sent = new ArrayList<>();
    synchronized (this) {
      while (!held.isEmpty()) {
        Held next = held.peek();
        Targets targets = targets(next.topic);
        if (!fits(targets)) {
          blocked();
          break;
        }
        held.poll();
        send(next.topic, targets, next.frame);
        sent.add(next.sent);
      }
    }
    sent.forEach(Promise::tryComplete);
  }

  private boolean fits(Targets targets) {
    if (listening.failed()) {
      return true;
    }
    for (Credit credit : targets.credits.values()) {
      if (credit.remote.inFlight >= window) {
        return false;
      }
    }
    return true;
  }

  private void send(String topic, Targets targets, String frame) {
    vertx.eventBus().publish(Addresses.topic(topic), frame);
    targets.published++;
    for (Credit credit : targets.credits.values()) {
      Remote remote = credit.remote;
      remote.inFlight++;
      remote.maxInFlight = Math.max(remote.maxInFlight, remote.inFlight);
    }
    // also without known remote consumers: a node that subscribed since answers it and becomes known
    if (targets.published - targets.marked >= MARKER_EVERY) {
      mark(topic, targets);
    }
  }

  private void mark(String topic, Targets targets) {
    targets.marked = targets.published;
    vertx.eventBus().publish(Addresses.topic(topic), null, new DeliveryOptions()
      .addHeader(Headers.KIND, Headers.KIND_MARKER)
      .addHeader(Headers.FLOW_NODE, self)
      .addHeader(Headers.FLOW_COUNT, Long.toString(targets.published)));
  }

  /**
   * The topic's remote consumers as known here; the first call looks them up. Until that
   * answers (a few ms) none are known: the topic's publications meanwhile are sent, not counted.
   */
  private Targets targets(String topic) {
    Targets targets = topics.get(topic);
    if (targets == null) {
      targets = new Targets();
      topics.put(topic, targets);
      lookUp(topic, targets);
    }
    return targets;
  }

  private void lookUp(String topic, Targets targets) {
    if (targets.looking) {
      return;
    }
    targets.looking = true;
    Promise<List<RegistrationInfo>> found = Promise.promise();
    cluster.getRegistrations(Addresses.topic(topic), found);
    found.future().onComplete(ar -> {
      synchronized (this) {
        targets.looking = false;
        if (ar.failed()) {
          log.debug("registrations of topic {} not read: {}", topic, ar.cause().toString());
        } else if (topics.get(topic) == targets) {
          update(targets, ar.result());
        }
      }
      drain();
    });
  }

  /** Remote nodes that hold a consumer now: those new start at the current count, those gone give back their part. */
  private void update(Targets targets, List<RegistrationInfo> registrations) {
    Set<String> members = new HashSet<>(cluster.getNodes());
    Set<String> holders = new HashSet<>();
    for (RegistrationInfo registration : registrations) {
      // a dead member's registrations outlive it by seconds: its member-removed event counts
      if (!registration.localOnly() && !registration.nodeId().equals(self) && members.contains(registration.nodeId())) {
        holders.add(registration.nodeId());
      }
    }
    for (Iterator<Map.Entry<String, Credit>> it = targets.credits.entrySet().iterator(); it.hasNext(); ) {
      Credit credit = it.next().getValue();
      if (!holders.contains(credit.remote.nodeId)) {
        credit.remote.inFlight -= (int) (targets.published - credit.count);
        it.remove();
      }
    }
    for (String holder : holders) {
      if (!targets.credits.containsKey(holder)) {
        targets.credits.put(holder, new Credit(remotes.computeIfAbsent(holder, Remote::new), targets.published));
      }
    }
  }

  /** A topic no longer remembered: what it had in flight is no longer counted. */
  private void forget(Targets targets) {
    for (Credit credit : targets.credits.values()) {
      credit.remote.inFlight -= (int) (targets.published - credit.count);
    }
    targets.credits.clear();
  }

  /** A credit: the node handled the topic's publications up to the count. On {@link #context}. */
  private void credited(Message<Object> message) {
    String topic = message.headers().get(Headers.TOPIC);
    String from = message.headers().get(Headers.FLOW_FROM);
    long count;
    try {
      count = Long.parseLong(message.headers().get(Headers.FLOW_COUNT));
    } catch (NumberFormatException | NullPointerException notACredit) {
      return;
    }
    synchronized (this) {
      Targets targets = topic == null ? null : topics.get(topic);
      if (targets == null || from == null) {
        return;
      }
      Credit credit = targets.credits.get(from);
      if (credit == null) {
        // a node that subscribed since the registrations were read: count it from now on
        lookUp(topic, targets);
        return;
      }
      // never past what this topic's window sent: a late credit of a forgotten window (the topic
      // left the cache and came back) must not free slots it never took
      count = Math.min(count, targets.published);
      if (count > credit.count) {
        credit.remote.inFlight -= (int) (count - credit.count);
        credit.count = count;
      }
    }
    drain();
  }

  /** The head waits for a full window: markers for what is uncredited, and a check until nothing waits. */
  private void blocked() {
    if (checkTimer >= 0) {
      return;
    }
    markUncredited();
    checkTimer = context.setPeriodic(CHECK_MS, id -> check());
  }

  private void check() {
    synchronized (this) {
      if (held.isEmpty()) {
        context.owner().cancelTimer(checkTimer);
        checkTimer = -1;
        return;
      }
      List<String> members = cluster.getNodes();
      new ArrayList<>(remotes.keySet()).stream().filter(node -> !members.contains(node)).forEach(this::dropLocked);
      Held head = held.peek();
      Targets targets = topics.get(head.topic);
      if (targets != null) {
        lookUp(head.topic, targets);
      }
      markUncredited();
    }
    drain();
  }

  /** A marker on every topic with publications uncredited by a node whose window is full (repeated: a credit may be lost). */
  private void markUncredited() {
    topics.forEach((topic, targets) -> {
      for (Credit credit : targets.credits.values()) {
        if (credit.count < targets.published && credit.remote.inFlight >= window) {
          mark(topic, targets);
          return;
        }
      }
    });
  }

  private void drop(String nodeId) {
    synchronized (this) {
      dropLocked(nodeId);
    }
    drain();
  }

  private void dropLocked(String nodeId) {
    if (remotes.remove(nodeId) == null) {
      return;
    }
    topics.values().forEach(targets -> targets.credits.remove(nodeId));
    log.info("publications no longer wait for node {}: it left the cluster", nodeId);
  }

  private PublicationRefused refusal() {
    refused++;
    refusedSinceWarning++;
    long now = System.nanoTime();
    String slowest = remotes.values().stream().filter(remote -> remote.inFlight >= window).map(remote -> remote.nodeId)
      .findFirst().orElse("none");
    if (lastWarningNanos == 0 || now - lastWarningNanos >= REFUSAL_WARNING_INTERVAL_NANOS) {
      log.warn("{} publication(s) refused: {} wait for credit (window {} per remote node, full for node {}); warned about at"
        + " most every {} s", refusedSinceWarning, held.size(), window, slowest, REFUSAL_WARNING_INTERVAL_NANOS / 1_000_000_000L);
      refusedSinceWarning = 0;
      lastWarningNanos = now;
    }
    return new PublicationRefused("publication refused: " + held.size() + " already wait for remote nodes to credit"
      + " earlier ones (window " + window + " per node, full for node " + slowest + ")");
  }

  /** One remote node: this process's publications towards it not credited yet. */
  private static final class Remote {
    final String nodeId;
    int inFlight;
    int maxInFlight;

    Remote(String nodeId) {
      this.nodeId = nodeId;
    }
  }

  /** One remote node's part of a topic: the topic's count it credited (or stood at when the node became known). */
  private static final class Credit {
    final Remote remote;
    long count;

    Credit(Remote remote, long count) {
      this.remote = remote;
      this.count = count;
    }
  }

  /** A topic's remote consumers as known here, and its count of publications. */
  private static final class Targets {
    final Map<String, Credit> credits = new HashMap<>();
    long published;
    long marked;
    boolean looking;
  }

  private static final class Held {
    final String topic;
    final String frame;
    final Promise<Void> sent;

    Held(String topic, String frame, Promise<Void> sent) {
      this.topic = topic;
      this.frame = frame;
      this.sent = sent;
    }
  }
}
