package org.jwws.gateway;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Lets the frames written to a connection in one event-loop turn share one flush, so one
 * syscall, instead of one each. Vert.x flushes once per read already (all the answers to one
 * read go out together), but a write outside a read, a publication handed to the loop, is
 * flushed at once: a subscriber that gets several publications in a turn paid a syscall for
 * each, and at high fan-out rates those syscalls were most of a delivery's cost. Netty's
 * {@link FlushConsolidationHandler} defers such a flush to a task after the ones already
 * queued on the loop; it flushes at once when the socket stops being writable, and on close,
 * so the write queue's bound and the slow-consumer rule see the same bytes as before.
 */
final class FlushCoalescing {

  private static final String NAME = "jwFlushCoalescing";

  private FlushCoalescing() {
  }

  /**
   * Installs the consolidation in front of Vert.x's handler, so that flushes are merged
   * before TLS encrypts what they flush.
   */
  static void install(ChannelPipeline pipeline) {
    // consolidate outside reads too: that is where publications are written
    FlushConsolidationHandler handler = new FlushConsolidationHandler(
      FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    if (pipeline.get(NettyChannels.VERTX_HANDLER) != null) {
      pipeline.addBefore(NettyChannels.VERTX_HANDLER, NAME, handler);
    } else {
      pipeline.addFirst(NAME, handler);
    }
  }
}
