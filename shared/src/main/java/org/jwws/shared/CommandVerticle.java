package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.DirectCall;
import org.jwws.shared.internal.HandOverCodec;
import org.jwws.shared.internal.HandlerCall;
import org.jwws.shared.internal.Headers;
import org.jwws.shared.internal.HeldRequests;
import org.jwws.shared.internal.LocalHandlers;
import org.jwws.shared.internal.Names;
import org.jwws.shared.internal.NodeIdentity;
import org.jwws.shared.internal.ServedCommands;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base class of command handler verticles. A subclass names its commands in
 * {@link #registerCommands()}, one line each:
 * <pre>{@code
 * public class Greetings extends CommandVerticle {
 *   protected void registerCommands() {
 *     command("greet", req -> req.ok("hello " + req.string("name")));
 *   }
 * }
 * }</pre>
 * Its answers' {@code src} is the config key {@code src}, else the class's simple name. What
 * its commands need before they run (a client, a pool) is made in {@link #setUp()} and closed in
 * {@link #tearDown()}: {@code start} and {@code stop} are this class's own.
 * Each command consumes {@code cmd.<name>}. Deployment completes only once every address is
 * registered (cluster-wide when clustered), so a request sent after it is served. Deploy it as a
 * worker (the default of the node's config) when its handlers block.
 * <p>
 * A worker instance runs one request at a time; the others wait in a queue of its own of at most
 * {@code maxPendingRequests} (config, default {@value #DEFAULT_MAX_PENDING}): past it a request is
 * answered 503 "handler busy" at once. Requests arrive on an event loop (the "door"), where a
 * cross-node request is receipted at once (one from this node's gateway is noted in
 * {@link HeldRequests}); a request whose turn comes after its deadline does
 * not start, one cancelled while it waits is dropped from the queue (see {@link CancelNotices}). Undeploying answers the waiting ones and
 * the attached conversations 503 "handler stopped".
 */
public abstract class CommandVerticle extends VerticleBase {

  /** Requests one instance holds waiting for its worker before it answers 503 "handler busy". */
  public static final int DEFAULT_MAX_PENDING = 1_000;
  static final String STOPPED = "handler stopped";
  private static final String CANCELLED_BEFORE_START = "cancelled before it started";

  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final List<CommandHandler> handlers = new ArrayList<>();
  /** What this JVM's gateway calls directly, one per command, listed while the consumers are registered. */
  private final List<LocalHandlers.Instance> direct = new ArrayList<>();
  /** Requests a worker instance received and has not started, in arrival order. */
  private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waitingCount = new AtomicInteger();
  /** True while a task that starts the next waiting request is on the worker's queue. */
  private final AtomicBoolean pumping = new AtomicBoolean();
  private boolean served;
  /** Set when stopping: a direct call still on its way to the door is answered 503, as a discarded event-bus request is. */
  private volatile boolean stopping;
  private Conversations conversations;
  private CancelNotices notices;
  private HeldRequests held;
  private Backend backend;
  private String nodeId;
  private int maxPending;
  /** Where requests arrive: this verticle's context when it is an event loop's, else an event loop's of its own. */
  private ContextInternal door;
  /** The door's thread, set once it registered the consumers. */
  private volatile Thread doorThread;

  /** Calls {@link #command} once per command this verticle serves. */
  protected abstract void registerCommands();

  /**
   * The {@code src} of this verticle's answers and publications: the config key {@code src},
   * else the simple class name.
   */
  protected String src() {
    return config().getString("src", getClass().getSimpleName());
  }

  /** Publish, broadcast and push from handler code. */
  protected final Backend backend() {
    return backend;
  }

  /** Conversations of this instance still attached to a gateway (for monitoring; 0 when idle). */
  public int attachedConversations() {
    return conversations == null ? 0 : conversations.size();
  }

  /** Requests received and waiting for this (worker) instance to start them. */
  public int waitingRequests() {
    return waitingCount.get();
  }

  /** Serves {@code name} with {@code handler}; call it from {@link #registerCommands()}. */
  protected final void command(String name, CommandHandler handler) {
    if (conversations == null) {
      throw new IllegalStateException("command() is called from registerCommands()");
    }
    if (!Names.isValid(name)) {
      throw new IllegalArgumentException("invalid command name: " + name);
    }
    names.add(name);
    handlers.add(handler);
  }

  /**
   * Runs before {@link #registerCommands()}: what the commands need, ready once the future
   * completes (its failure fails the deployment). Nothing by default.
   */
  protected Future<?> setUp() throws Exception {
    return Future.succeededFuture();
  }

  /** Runs when the verticle stops, after its commands stopped being served. Nothing by default. */
  protected Future<?> tearDown() throws Exception {
    return Future.succeededFuture();
  }

  /** Sets up, then serves the commands; deployment completes once every address is registered. */
  @Override
  public final Future<?> start() throws Exception {
    return setUp().compose(ready -> serve());
  }

  private Future<?> serve() {
    HandOverCodec.register(vertx);
    backend = Backend.create(vertx, src());
    conversations = new Conversations(vertx);
    notices = CancelNotices.of(vertx);
    nodeId = NodeIdentity.of(vertx);
    held = HeldRequests.of(vertx);
    maxPending = config().getInteger("maxPendingRequests", DEFAULT_MAX_PENDING);
    registerCommands();
    ContextInternal own = (ContextInternal) context;
    door = own.isEventLoopContext() ? own : ((VertxInternal) vertx).createEventLoopContext();
    if (door != own) {
      notices.addQueue(this);
    }
    List<Future<Void>> registered = new ArrayList<>();
    registered.add(conversations.completion());
    registered.add(notices.listening());
    registered.add(Future.<Void>future(promise -> door.runOnContext(v -> registerConsumers().onComplete(promise))));
    return Future.all(registered).onSuccess(all -> {
      served = true;
      ServedCommands.added(vertx, names);
      LocalHandlers local = LocalHandlers.of(vertx);
      for (int i = 0; i < names.size(); i++) {
        LocalHandlers.Instance instance = new DirectDoor(handlers.get(i), src());
        direct.add(instance);
        local.add(names.get(i), instance);
      }
    });
  }

  @Override
  public final Future<?> stop() throws Exception {
    stopping = true;
    LocalHandlers local = LocalHandlers.of(vertx);
    for (int i = 0; i < direct.size(); i++) {
      local.remove(names.get(i), direct.get(i));
    }
    List<Future<Void>> unregistered = new ArrayList<>();
    consumers.forEach(consumer -> unregistered.add(consumer.unregister()));
    notices.removeQueue(this);
    failWaiting();
    conversations.endAll(EndReason.HANDLER_STOPPED);
    if (served) {
      ServedCommands.removed(vertx, names);
    }
    return Future.join(unregistered).eventually(this::runTearDown);
  }

  private Future<?> runTearDown() {
    try {
      return tearDown();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  /** Stopping: the requests still waiting for the worker are answered 503. */
  private void failWaiting() {
    Waiting next;
    while ((next = waiting.poll()) != null) {
      waitingCount.decrementAndGet();
      next.call.fail(Status.UNAVAILABLE, STOPPED);
    }
  }

  /** On the door's context, so that the consumers deliver there. */
  private Future<Void> registerConsumers() {
    doorThread = Thread.currentThread();
    String src = src();
    List<Future<Void>> registered = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      CommandHandler handler = handlers.get(i);
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.command(names.get(i)),
        message -> arrived(handler, new BusCall(vertx.eventBus(), message), src));
      consumers.add(consumer);
      registered.add(consumer.completion());
    }
    return Future.all(registered).mapEmpty();
  }

  /** On the door: receipt, then start at once (event loop) or queue for the worker (bounded). */
  private void arrived(CommandHandler handler, HandlerCall call, String src) {
    // first of all: a member-loss check of this node's gateway may run on another thread now
    tellGateway(call);
    if (door == context) {
      start(handler, call, src);
    } else {
      queue(handler, call, src);
    }
  }

  /** Any thread: waits for the worker, or 503 at once past {@code maxPendingRequests}. */
  private void queue(CommandHandler handler, HandlerCall call, String src) {
    if (waitingCount.incrementAndGet() > maxPending) {
      waitingCount.decrementAndGet();
      call.fail(Status.UNAVAILABLE, "handler busy: " + maxPending + " requests wait for " + src);
      return;
    }
    waiting.add(new Waiting(handler, call, src));
    pump();
  }

  /**
   * One task at a time on the worker's queue: each starts one request and queues the next, so
   * an undeploy (queued behind it) runs after the current request, not after every waiting one.
   */
  private void pump() {
    if (!waiting.isEmpty() && pumping.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        Waiting next = waiting.poll();
        if (next != null) {
          waitingCount.decrementAndGet();
          start(next.handler, next.call, next.src);
        }
        pumping.set(false);
        pump();
      });
    }
  }

  /**
   * Tells a clustered gateway that a handler holds the request: one on another node by a
   * receipt naming this node, this node's own by an entry in {@link HeldRequests} (no message).
   */
  private void tellGateway(HandlerCall call) {
    String gateway = call.header(Headers.GATEWAY_NODE);
    if (gateway == null || nodeId == null) {
      return;
    }
    if (gateway.equals(nodeId)) {
      held.received(call);
      return;
    }
    String connection = call.header(Headers.CONNECTION);
    String requestKey = call.header(Headers.REQUEST);
    if (connection != null && requestKey != null) {
      vertx.eventBus().send(connection, null, new DeliveryOptions()
        .addHeader(Headers.KIND, Headers.KIND_RECEIPT)
        .addHeader(Headers.REQUEST, requestKey)
        .addHeader(Headers.NODE, nodeId));
    }
  }

  /**
   * Drops (answering 499, "cancelled before it started") the waiting requests a cancel notice
   * names: one request, or with {@code requestKey} null every one of the connection's.
   *
   * @return true when one was found
   */
  boolean dropWaiting(String connection, String requestKey) {
    boolean dropped = false;
    for (Waiting next : waiting) {
      if (connection.equals(next.call.header(Headers.CONNECTION))
        && (requestKey == null || requestKey.equals(next.call.header(Headers.REQUEST)))
        && waiting.remove(next)) {
        waitingCount.decrementAndGet();
        next.call.fail(Status.CANCELLED, CANCELLED_BEFORE_START);
        dropped = true;
      }
    }
    return dropped;
  }

  /** Runs the handler unless the gateway gave up on the request meanwhile. */
  private void start(CommandHandler handler, HandlerCall call, String src) {
    long deadline = call.deadlineMs();
    if (deadline > 0 && System.currentTimeMillis() > deadline) {
      // the client had its 504 already: this frees nothing but the reply handler's memory
      call.fail(Status.TIMEOUT, "expired before it started");
      return;
    }
    if (notices.cancelled(call)) {
      // the client had its 499; this tells the gateway the request was dropped, freeing its slot
      call.fail(Status.CANCELLED, CANCELLED_BEFORE_START);
      return;
    }
    Invocation invocation = new Invocation(vertx, call, src, conversations, notices);
    try {
      handler.handle(invocation);
    } catch (Exception e) {
      invocation.failWith(e);
    }
  }

  private static final class Waiting {

    final CommandHandler handler;
    final HandlerCall call;
    final String src;

    Waiting(CommandHandler handler, HandlerCall call, String src) {
      this.handler = handler;
      this.call = call;
      this.src = src;
    }
  }

  /**
   * One command of this instance as this JVM's gateway calls it: on its own event loop it runs at
   * once, in the gateway's turn (the answer is written before the socket is flushed); from another
   * thread it is handed to the door's loop, or to the worker's queue as the event bus would.
   */
  private final class DirectDoor implements LocalHandlers.Instance {

    private final CommandHandler handler;
    private final String src;
    private final Thread loop;

    DirectDoor(CommandHandler handler, String src) {
      this.handler = handler;
      this.src = src;
      this.loop = door == context ? doorThread : null;
    }

    @Override
    public Thread eventLoopThread() {
      return loop;
    }

    @Override
    public boolean busy() {
      return loop == null && waitingCount.get() > 0;
    }

    @Override
    public void call(DirectCall call) {
      if (loop == null) {
        if (stopping) {
          call.fail(Status.UNAVAILABLE, STOPPED);
          return;
        }
        queue(handler, call, src);
        if (stopping) {
          // stop() drained the queue between the check and the add: this one must not wait for ever
          failWaiting();
        }
      } else {
        // the verticle's own context, so its timers and deployment stay its own; inline on its thread
        door.emit(call, next -> {
          if (stopping) {
            next.fail(Status.UNAVAILABLE, STOPPED);
          } else {
            start(handler, next, src);
          }
        });
      }
    }
  }
}
