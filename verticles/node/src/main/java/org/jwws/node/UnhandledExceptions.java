package org.jwws.node;

import io.vertx.core.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * The node's handler of exceptions no code caught on a Vert.x context: logged at ERROR with
 * their stack, as Vert.x does without one, except for one known Vert.x 5.1.6 race that a
 * member's death triggers. A publication to several members shares one write promise across
 * its per-member writes ({@code ClusteredEventBus.sendToNodes}, whose source says "Write promise
 * might be completed several times"); when the write to a member that just died fails after
 * another write succeeded, failing that promise again throws {@code IllegalStateException:
 * Promise already completed} on the publisher's context, once per publication in flight
 * (upstream: eclipse-vertx/vert.x#6170, #6211). It is thrown right in the publication (a stack
 * through the clustered event bus), or later, when Netty fails the writes still queued on the
 * dead member's socket as it closes (a stack through {@code ChannelOutboundBuffer} into the
 * promise a write future completes), or when that failure is emitted to the promise as a task
 * of its own (a stack of nothing but the emission task on an event loop: no other code on it). Nothing is lost by it (the write to the dead member
 * fails either way), so it is logged at DEBUG, and only that exact exception in one of these
 * two places is.
 */
final class UnhandledExceptions implements Handler<Throwable> {

  /** The logger Vert.x itself reports unhandled exceptions on, so existing log filters keep working. */
  private static final Logger log = LoggerFactory.getLogger("io.vertx.core.impl.ContextImpl");
  private static final String CLUSTERED_EVENT_BUS = "io.vertx.core.eventbus.impl.clustered.";
  private static final String FAILED_WRITES = "io.netty.channel.ChannelOutboundBuffer";
  private static final String EMIT_TASK = "io.vertx.core.impl.future.FutureBase$EmitResultTask";

  @Override
  public void handle(Throwable t) {
    if (isSharedWritePromiseRace(t)) {
      log.debug("publication to a member that died meanwhile (Vert.x write-promise race, eclipse-vertx/vert.x#6170): {}", t.toString());
    } else {
      log.error("Unhandled exception", t);
    }
  }

  static boolean isSharedWritePromiseRace(Throwable t) {
    if (!(t instanceof IllegalStateException) || !"Promise already completed".equals(t.getMessage())) {
      return false;
    }
    StackTraceElement[] frames = t.getStackTrace();
    return Arrays.stream(frames).anyMatch(frame -> frame.getClassName().startsWith(CLUSTERED_EVENT_BUS))
      || (completedAsWriteListener(frames) && Arrays.stream(frames).anyMatch(frame -> frame.getClassName().equals(FAILED_WRITES)))
      || (completedAsWriteListener(frames) && frames.length > 2 && frames[2].getClassName().equals(EMIT_TASK)
        && Arrays.stream(frames).allMatch(UnhandledExceptions::isEventLoopFrame));
  }

  /** A frame of the promise, its emission task or the event loop running it: no other code. */
  private static boolean isEventLoopFrame(StackTraceElement frame) {
    String name = frame.getClassName();
    return name.equals("io.vertx.core.Promise") || name.equals(EMIT_TASK) || name.startsWith("io.netty.util.")
      || name.startsWith("io.netty.channel.SingleThreadIoEventLoop") || name.startsWith("java.");
  }

  /** Thrown by a promise that a write's future completes ({@code future.onComplete(promise)}). */
  private static boolean completedAsWriteListener(StackTraceElement[] frames) {
    return frames.length > 1 && frames[0].getClassName().equals("io.vertx.core.Promise") && frames[0].getMethodName().equals("fail")
      && frames[1].getClassName().equals("io.vertx.core.Promise") && frames[1].getMethodName().equals("complete");
  }
}
