package org.jwws.gateway;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one gateway node, read by {@link Gateway#stats()}.
 */
final class NodeCounters {

  /** Publications that reached this node's topic consumers (once per node, not per subscriber). */
  final LongAdder publicationsReceived = new LongAdder();
  /** Frames written to clients. */
  final LongAdder framesOut = new LongAdder();
  /** Connections closed with 1013 because they did not read their publications. */
  final LongAdder slowConsumerCloses = new LongAdder();
  /** Publications on drop-oldest topics dropped for slow consumers. */
  final LongAdder publicationsDropped = new LongAdder();
  /** Frames read from clients. */
  final LongAdder framesIn = new LongAdder();
}
