package org.jwws.gateway;

import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;

/**
 * One request between its arrival and its final response.
 */
final class OpenRequest {

  /** The gateway's key, unique on the connection; handlers see it as {@code jw-rid}. */
  final long key;
  /** The client's id, or null. */
  final Object id;
  final String command;
  final long timeoutMs;
  final long startNanos = System.nanoTime();
  /** The handler instance's control address, once it attached. */
  String control;
  /** Rounds that arrived before the handler attached. */
  final ArrayDeque<JsonObject> pendingRounds = new ArrayDeque<>(0);
  boolean done;

  OpenRequest(long key, Object id, String command, long timeoutMs) {
    this.key = key;
    this.id = id;
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}
