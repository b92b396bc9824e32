package org.jwws.gateway;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

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

  /** Vert.x's handler of the connection, the last in its pipeline: flushes start there. */
  private static final String VERTX_HANDLER = "handler";
  private static final String NAME = "jwFlushCoalescing";
  private static final Logger log = LoggerFactory.getLogger(FlushCoalescing.class);
  private static final AtomicBoolean unsupportedLogged = new AtomicBoolean();

  private FlushCoalescing() {
  }

  /**
   * Installs the consolidation on the channel of {@code connection}: in front of Vert.x's
   * handler, so that flushes are merged before TLS encrypts what they flush.
   *
   * @return false when the connection gives no access to its channel (another Vert.x version):
   *         it works as before then, a flush per write, said once in the log
   */
  static boolean install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      if (unsupportedLogged.compareAndSet(false, true)) {
        log.warn("{} gives no access to its channel: one flush per written frame", connection.getClass().getName());
      }
      return false;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get(NAME) != null) {
      return true;
    }
    // consolidate outside reads too: that is where publications are written
    FlushConsolidationHandler handler = new FlushConsolidationHandler(
      FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    if (pipeline.get(VERTX_HANDLER) != null) {
      pipeline.addBefore(VERTX_HANDLER, NAME, handler);
    } else {
      pipeline.addFirst(NAME, handler);
    }
    return true;
  }
}
