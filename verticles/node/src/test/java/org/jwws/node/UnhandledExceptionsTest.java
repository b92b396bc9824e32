package org.jwws.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only the known Vert.x race is spared its ERROR line; every other unhandled exception keeps it. */
class UnhandledExceptionsTest {

  @Test
  void onlyTheSharedWritePromiseRaceOfTheClusteredEventBusIsRecognised() {
    assertTrue(UnhandledExceptions.isSharedWritePromiseRace(thrownAt("Promise already completed",
      "io.vertx.core.eventbus.impl.clustered.OutboundConnection", "io.vertx.core.eventbus.impl.clustered.ClusteredEventBus")));
    assertFalse(UnhandledExceptions.isSharedWritePromiseRace(thrownAt("Promise already completed", "org.jwws.gateway.Connection")),
      "the same message from our own code is a bug to see");
    assertFalse(UnhandledExceptions.isSharedWritePromiseRace(thrownAt("something else",
      "io.vertx.core.eventbus.impl.clustered.OutboundConnection")));
    assertFalse(UnhandledExceptions.isSharedWritePromiseRace(new NullPointerException("Promise already completed")));
  }

  @Test
  void theRaceAlsoCountsWhenNettyFailsTheDeadMembersQueuedWrites() {
    IllegalStateException late = new IllegalStateException("Promise already completed");
    late.setStackTrace(new StackTraceElement[] {
      new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 103),
      new StackTraceElement("io.vertx.core.Promise", "complete", "Promise.java", 62),
      new StackTraceElement("io.vertx.core.impl.future.FutureBase$EmitResultTask", "run", "FutureBase.java", 125),
      new StackTraceElement("io.netty.channel.ChannelOutboundBuffer", "failFlushed", "ChannelOutboundBuffer.java", 690)});
    assertTrue(UnhandledExceptions.isSharedWritePromiseRace(late));
    IllegalStateException elsewhere = new IllegalStateException("Promise already completed");
    elsewhere.setStackTrace(new StackTraceElement[] {
      new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 103),
      new StackTraceElement("org.jwws.gateway.OpenRequests", "answered", "OpenRequests.java", 1),
      new StackTraceElement("io.netty.channel.ChannelOutboundBuffer", "failFlushed", "ChannelOutboundBuffer.java", 690)});
    assertFalse(UnhandledExceptions.isSharedWritePromiseRace(elsewhere), "our own code completing a promise twice");
  }

  @Test
  void theRaceAlsoCountsWhenTheFailureIsEmittedAsATaskOfItsOwn() {
    StackTraceElement[] emitted = {
      new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 103),
      new StackTraceElement("io.vertx.core.Promise", "complete", "Promise.java", 62),
      new StackTraceElement("io.vertx.core.impl.future.FutureBase$EmitResultTask", "run", "FutureBase.java", 125),
      new StackTraceElement("io.netty.util.concurrent.AbstractEventExecutor", "runTask", "AbstractEventExecutor.java", 148),
      new StackTraceElement("io.netty.channel.SingleThreadIoEventLoop", "run", "SingleThreadIoEventLoop.java", 201),
      new StackTraceElement("java.lang.Thread", "run", "Thread.java", 840)};
    IllegalStateException race = new IllegalStateException("Promise already completed");
    race.setStackTrace(emitted);
    assertTrue(UnhandledExceptions.isSharedWritePromiseRace(race));
    StackTraceElement[] withOurCode = emitted.clone();
    withOurCode[3] = new StackTraceElement("org.jwws.gateway.OpenRequests", "answered", "OpenRequests.java", 1);
    IllegalStateException ours = new IllegalStateException("Promise already completed");
    ours.setStackTrace(withOurCode);
    assertFalse(UnhandledExceptions.isSharedWritePromiseRace(ours), "other code on the stack: a bug to see");
  }

  private static IllegalStateException thrownAt(String message, String... classes) {
    IllegalStateException e = new IllegalStateException(message);
    StackTraceElement[] frames = new StackTraceElement[classes.length + 1];
    frames[0] = new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 103);
    for (int i = 0; i < classes.length; i++) {
      frames[i + 1] = new StackTraceElement(classes[i], "writeMessage", null, 1);
    }
    e.setStackTrace(frames);
    return e;
  }
}
