package org.jwws.gateway;

import io.vertx.core.json.JsonObject;

/**
 * A client frame the gateway refuses, with the error frame to answer it with.
 */
final class FrameRejected extends Exception {

  private final transient JsonObject reply;

  FrameRejected(JsonObject reply) {
    super(reply.getString("msg"), null, false, false);
    this.reply = reply;
  }

  JsonObject reply() {
    return reply;
  }
}
