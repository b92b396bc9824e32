package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;

/**
 * What the node-level fan-out (an {@link Audience}, a topic's feed) and a connection's history
 * streams need of a connection: the event loop it is served on, and how frames reach it. The
 * writes are called on that loop only, and write nothing once it is closing.
 */
interface Recipient {

  Thread thread();

  Context context();

  /** Runs {@code action} on the recipient's event loop: at once when already there. */
  default void onContext(Runnable action) {
    if (Thread.currentThread() == thread()) {
      action.run();
    } else {
      context().runOnContext(v -> action.run());
    }
  }

  /** An encoded publication or broadcast, counted by {@code kind}. */
  void publication(String text, boolean droppable, Counter kind);

  /** v2: a publication of a history topic, in offset order. */
  void historyPublication(String topic, long offset, String epoch, String text);

  /** v2: a join/leave event of a presence topic, written when the recipient asked for them. */
  void presenceEvent(String topic, String text);

  void close(short code, String reason);
}
