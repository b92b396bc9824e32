package org.jwws.node.bridge;

import io.vertx.core.eventbus.Message;

/**
 * A request delivered to a bridge client and not answered yet: the client may answer it, and
 * send its intermediate responses to the connection it came from, until then.
 */
final class PendingRequest {

  final Message<Object> message;
  /** {@code jw-conn/jw-rid}: the conversation this client may speak in. */
  final String conversation;
  final long timer;

  PendingRequest(Message<Object> message, String conversation, long timer) {
    this.message = message;
    this.conversation = conversation;
    this.timer = timer;
  }
}
