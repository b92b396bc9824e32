package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * A recipient without a WebSocket: records what reaches it, and on which thread, for the tests
 * of the fan-out below the connection.
 */
final class FakeRecipient implements Recipient, Audience.Member {

  private final Context context;
  private final Thread thread;
  /** Touched on the recipient's loop only. */
  private final List<String> received = new ArrayList<>();
  private boolean wrongThread;
  private boolean present = true;
  private int slot;

  private FakeRecipient(Context context, Thread thread) {
    this.context = context;
    this.thread = thread;
  }

  /** A recipient served on a fresh event-loop context. */
  static Future<FakeRecipient> create(Vertx vertx) {
    return on(((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext());
  }

  /** A recipient served on {@code context}. */
  static Future<FakeRecipient> on(Context context) {
    Promise<FakeRecipient> made = Promise.promise();
    context.runOnContext(v -> made.complete(new FakeRecipient(context, Thread.currentThread())));
    return made.future();
  }

  /** What reached it so far, read on its own loop after everything queued there before ran. */
  Future<List<String>> received() {
    Promise<List<String>> copy = Promise.promise();
    context.runOnContext(v -> copy.complete(List.copyOf(received)));
    return copy.future();
  }

  /** True when a frame reached it on another thread than its own. */
  Future<Boolean> wrongThread() {
    Promise<Boolean> seen = Promise.promise();
    context.runOnContext(v -> seen.complete(wrongThread));
    return seen.future();
  }

  @Override
  public Thread thread() {
    return thread;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void publication(String text, boolean droppable, Counter kind) {
    record(text);
  }

  @Override
  public void historyPublication(String topic, long offset, String epoch, String text) {
    record(text);
  }

  @Override
  public void presenceEvent(String topic, String text) {
    record(text);
  }

  @Override
  public void close(short code, String reason) {
    record("closed " + code);
  }

  private void record(String text) {
    wrongThread |= Thread.currentThread() != thread;
    received.add(text);
  }

  // as a member of an audience of its own (the broadcast audience's shape)

  @Override
  public Recipient recipient() {
    return this;
  }

  @Override
  public boolean present() {
    return present;
  }

  /** It left; on its own loop, as a connection leaves. */
  Future<Void> leave() {
    Promise<Void> left = Promise.promise();
    context.runOnContext(v -> {
      present = false;
      left.complete();
    });
    return left.future();
  }

  @Override
  public int slot() {
    return slot;
  }

  @Override
  public void slot(int slot) {
    this.slot = slot;
  }
}
