package org.jwws.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives a WebSocket connection the outbound queue of Vert.x's strict thread mode: writes go
 * straight to the channel, as they do for the node's HTTP connections
 * ({@code HttpServerOptions.setStrictThreadMode}).
 * <p>
 * Why: Vert.x 5.1 creates the WebSocket's connection without the strict flag whatever the
 * server's options, so each one gets a queue for writes made off its event loop, whose first
 * JCTools chunk (1,024 slots, a Netty constant) is about 4.7 KB of heap per connection, a
 * third of an idle connection's cost. The gateway writes to a connection from that
 * connection's event loop only (its state is not thread-safe either), so the queue never holds
 * anything: it only costs memory. Vert.x offers no setting for it, hence reflection on its
 * private field; when this Vert.x has no such field the connection keeps its queue, said once
 * in the log.
 */
final class DirectWriteQueue {

  private static final Logger log = LoggerFactory.getLogger(DirectWriteQueue.class);
  private static final String QUEUE_FIELD = "outboundMessageQueue";
  private static final String DIRECT_QUEUE = VertxConnection.class.getName() + "$DirectOutboundMessageQueue";

  /** Both null when this Vert.x does not have them. */
  private static final Field QUEUE;
  private static final Constructor<?> NEW_DIRECT_QUEUE;
  /** Set once the JVM refused to set the field (a later JDK may): not tried again. */
  private static final AtomicBoolean refused = new AtomicBoolean();

  static {
    Field queue = null;
    Constructor<?> direct = null;
    try {
      Field field = VertxConnection.class.getDeclaredField(QUEUE_FIELD);
      Constructor<?> constructor = Class.forName(DIRECT_QUEUE).getDeclaredConstructor(VertxConnection.class);
      if (field.getType().isAssignableFrom(constructor.getDeclaringClass())) {
        field.setAccessible(true);
        constructor.setAccessible(true);
        queue = field;
        direct = constructor;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // below
    }
    if (queue == null) {
      log.warn("this Vert.x has no {}.{} of type {}: each WebSocket keeps Vert.x's outbound queue (about 4.7 KB)",
        VertxConnection.class.getName(), QUEUE_FIELD, DIRECT_QUEUE);
    }
    QUEUE = queue;
    NEW_DIRECT_QUEUE = direct;
  }

  private DirectWriteQueue() {
  }

  /**
   * Replaces the outbound queue of the connection served by {@code pipeline}'s Vert.x
   * handler. Call it on the connection's event loop right after the upgrade, before anything
   * is written to the WebSocket; every later write must come from that loop.
   *
   * @return whether the connection writes directly now
   */
  static boolean install(ChannelPipeline pipeline) {
    ChannelHandler handler = pipeline.get(NettyChannels.VERTX_HANDLER);
    if (QUEUE == null || refused.get() || !(handler instanceof VertxHandler<?> vertxHandler)) {
      return false;
    }
    VertxConnection connection = vertxHandler.getConnection();
    if (connection == null || !pipeline.channel().eventLoop().inEventLoop()) {
      return false;
    }
    try {
      if (QUEUE.get(connection).getClass() != NEW_DIRECT_QUEUE.getDeclaringClass()) {
        QUEUE.set(connection, NEW_DIRECT_QUEUE.newInstance(connection));
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (refused.compareAndSet(false, true)) {
        log.warn("each WebSocket keeps Vert.x's outbound queue (about 4.7 KB): its field could not be set", e);
      }
      return false;
    }
  }
}
