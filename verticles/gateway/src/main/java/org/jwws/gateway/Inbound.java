package org.jwws.gateway;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A client frame that passed validation: its kind and the fields the gateway routes on.
 */
final class Inbound {

  enum Kind { REQ, CANCEL, SUB, UNSUB, PUB }

  final Kind kind;
  final JsonObject frame;
  /** The client's id (string or number), or null. */
  final Object id;
  /** For REQ. */
  final String command;
  /** For SUB, UNSUB (one or more) and PUB (exactly one). */
  final List<String> topics;

  Inbound(Kind kind, JsonObject frame, Object id, String command, List<String> topics) {
    this.kind = kind;
    this.frame = frame;
    this.id = id;
    this.command = command;
    this.topics = topics;
  }
}
