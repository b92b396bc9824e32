package org.jwws.gateway;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Netty channel under a Vert.x connection, reached through Vert.x's implementation class:
 * what the gateway tunes per WebSocket ({@link FlushCoalescing}, {@link DirectWriteQueue}).
 */
final class NettyChannels {

  /** Vert.x's handler of the connection, the last in its pipeline: flushes start there. */
  static final String VERTX_HANDLER = "handler";
  private static final Logger log = LoggerFactory.getLogger(NettyChannels.class);
  private static final AtomicBoolean hiddenLogged = new AtomicBoolean();

  private NettyChannels() {
  }

  /**
   * @return null when the connection gives no access to its channel (another Vert.x version):
   *         the connection then works untuned, said once in the log
   */
  static Channel of(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      return base.channel();
    }
    if (hiddenLogged.compareAndSet(false, true)) {
      log.warn("{} gives no access to its channel: WebSockets keep Vert.x's defaults (a flush per frame written outside a read, "
        + "an outbound queue per connection)", connection.getClass().getName());
    }
    return null;
  }
}
