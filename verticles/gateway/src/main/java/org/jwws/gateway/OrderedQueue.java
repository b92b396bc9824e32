package org.jwws.gateway;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The ordered requests of one connection (PROTOCOL.md "Ordered requests"): one of them at a
 * time is with its handler, the others wait in arrival order until it got its final response.
 * The waiting ones hold their slots of {@code maxOpenRequests}, which bounds this queue.
 * Touched only from the connection's event loop.
 */
final class OrderedQueue {

  /** Sends a request to its handler; may answer it at once (then the next one is sent). */
  private final Consumer<OpenRequest> send;
  private final ArrayDeque<OpenRequest> waiting = new ArrayDeque<>();
  /** The ordered request with its handler, null when none is. */
  private OpenRequest current;
  /** A send is under way: a request answered within it lets the loop in {@link #sendNext} go on, not recurse. */
  private boolean sending;

  OrderedQueue(Consumer<OpenRequest> send) {
    this.send = send;
  }

  /** An ordered request arrived: sent now when no other is with its handler, else it waits its turn. */
  void add(OpenRequest open) {
    waiting.add(open);
    sendNext();
  }

  /** A waiting request was cancelled: it leaves the queue and is never sent. */
  void remove(OpenRequest open) {
    waiting.remove(open);
  }

  /** A request got its final response: when it was the one with its handler, the next one's turn comes. */
  void finished(OpenRequest open) {
    if (open == current) {
      current = null;
      sendNext();
    }
  }

  /** The connection closed: the waiting requests are dropped unsent. */
  void clear() {
    waiting.clear();
    current = null;
  }

  private void sendNext() {
    if (sending) {
      return;
    }
    sending = true;
    try {
      while (current == null && !waiting.isEmpty()) {
        current = waiting.poll();
        send.accept(current);
      }
    } finally {
      sending = false;
    }
  }
}
