package org.jwws.gateway;

import io.vertx.core.json.JsonObject;
import org.jwws.shared.Envelope;

import java.util.List;

/**
 * A client frame that passed validation: its kind and the fields the gateway routes on.
 */
final class Inbound {

  enum Kind {
    REQ(Envelope.MODE_REQ_RES, Envelope.ACTION_REQ),
    CANCEL(Envelope.MODE_REQ_RES, Envelope.ACTION_CANCEL),
    SUB(Envelope.MODE_PUB_SUB, Envelope.ACTION_SUB),
    UNSUB(Envelope.MODE_PUB_SUB, Envelope.ACTION_UNSUB),
    PUB(Envelope.MODE_PUB_SUB, Envelope.ACTION_PUB);

    final String mode;
    final String action;

    Kind(String mode, String action) {
      this.mode = mode;
      this.action = action;
    }
  }

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
