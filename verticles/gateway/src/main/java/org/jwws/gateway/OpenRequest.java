package org.jwws.gateway;

import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;

/**
 * One request between its arrival and the end of its handler's work: the client's final
 * response may come first (cancel), the slot is held until the handler is done with it.
 */
final class OpenRequest {

  /** The gateway's key, unique on the connection; handlers see it as {@code jw-rid}. */
  final long key;
  /** The client's id, or null. */
  final Object id;
  final String command;
  final long timeoutMs;
  final long startNanos = System.nanoTime();
  /** It waits its turn behind the connection's other ordered requests ({@link OrderedQueue}). */
  final boolean ordered;
  /** The frame for its handler, until it is sent. */
  JsonObject body;
  /** When it was sent to its handler: its timeout runs from then. */
  long sentNanos;
  /** When the gateway answers 504, as epoch ms (the handler side's {@code jw-deadline}); 0 until it is sent. */
  long deadlineMs;
  /** The handler instance's control address, once it attached. */
  String control;
  /** The cluster node holding the request, once its receipt came (cross-node requests only). */
  String node;
  /** Rounds that arrived before the handler attached. */
  final ArrayDeque<JsonObject> pendingRounds = new ArrayDeque<>(0);
  /** The client got its final response. */
  boolean answered;
  /** The handler is done with it (or the gateway knows it was dropped): the slot is free. */
  boolean done;

  OpenRequest(long key, Object id, String command, long timeoutMs, boolean ordered, JsonObject body) {
    this.key = key;
    this.id = id;
    this.command = command;
    this.timeoutMs = timeoutMs;
    this.ordered = ordered;
    this.body = body;
  }
}
