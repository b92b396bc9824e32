package org.jwws.gateway;

import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Envelope;

import java.util.List;
import java.util.Map;

/**
 * A client frame that passed validation: its kind and the fields the gateway routes on.
 */
final class Inbound {

  enum Kind {
    REQ(Envelope.MODE_REQ_RES, Envelope.ACTION_REQ),
    CANCEL(Envelope.MODE_REQ_RES, Envelope.ACTION_CANCEL),
    SUB(Envelope.MODE_PUB_SUB, Envelope.ACTION_SUB),
    UNSUB(Envelope.MODE_PUB_SUB, Envelope.ACTION_UNSUB),
    PUB(Envelope.MODE_PUB_SUB, Envelope.ACTION_PUB),
    HISTORY(Envelope.MODE_PUB_SUB, Envelope.ACTION_HISTORY),
    PRESENCE(Envelope.MODE_PUB_SUB, Envelope.ACTION_PRESENCE);

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

  /** For SUB and HISTORY (v2): where the client stands per history topic; empty when absent. */
  final Map<String, Since> since;
  /** For SUB (v2): the client asked for join/leave events of presence topics. */
  final boolean presenceEvents;
  /** For HISTORY: at most this many publications; null for the history's size. */
  final Integer limit;

  Inbound(Kind kind, JsonObject frame, Object id, String command, List<String> topics) {
    this(kind, frame, id, command, topics, Map.of(), false, null);
  }

  Inbound(Kind kind, JsonObject frame, Object id, String command, List<String> topics,
          Map<String, Since> since, boolean presenceEvents, Integer limit) {
    this.kind = kind;
    this.frame = frame;
    this.id = id;
    this.command = command;
    this.topics = topics;
    this.since = since;
    this.presenceEvents = presenceEvents;
    this.limit = limit;
  }

  /** The last offset a client has of a history topic, and the epoch it belongs to. */
  static final class Since {
    final long offset;
    final String epoch;

    Since(long offset, String epoch) {
      this.offset = offset;
      this.epoch = epoch;
    }
  }
}
