package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * A connection's event-bus consumer at its address, registered on first use (a connection that
 * never sends a request costs no registry write): what handlers and backend code send to the
 * connection. Touched only from the connection's event loop.
 */
final class ConnectionInbox {

  private final EventBus eventBus;
  private final String address;
  private final Recipient connection;
  private final Handler<Message<Object>> handler;
  private MessageConsumer<Object> consumer;
  private Future<String> registered;

  ConnectionInbox(EventBus eventBus, String address, Recipient connection, Handler<Message<Object>> handler) {
    this.eventBus = eventBus;
    this.address = address;
    this.connection = connection;
    this.handler = handler;
  }

  /** Registers the consumer unless it is; completes with the address once registered (a failure is tried afresh next time). */
  Future<String> registered() {
    if (registered == null) {
      consumer = eventBus.consumer(address, handler);
      registered = consumer.completion().map(address)
        .onFailure(err -> connection.onContext(() -> registered = null));
    }
    return registered;
  }

  /** The connection closed: nothing more is taken. */
  void close() {
    if (consumer != null) {
      consumer.unregister();
    }
  }
}
