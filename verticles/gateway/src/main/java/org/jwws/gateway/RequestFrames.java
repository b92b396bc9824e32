package org.jwws.gateway;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.Headers;

/** How {@link OpenRequests} reads a request's keys and fills in its frames. */
final class RequestFrames {

  /** The request field asking for its request to wait its turn (PROTOCOL.md "Ordered requests"). */
  static final String ORDERED = "ordered";

  private RequestFrames() {
  }

  /** The request asked to be ordered; {@link EnvelopeReader} let only a boolean or null through. */
  static boolean askedOrdered(JsonObject frame) {
    return Boolean.TRUE.equals(frame.getValue(ORDERED));
  }

  /** The gateway's key of the request a handler's message is about; -1 when it names none. */
  static long requestKey(Message<?> message) {
    try {
      return Long.parseLong(message.headers().get(Headers.REQUEST));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Ids compare by type and exact value: {@code "1"} and {@code 1} are different ids, an integer
   * is the same id whichever Java type holds it (EnvelopeReader admits no other numbers).
   */
  static Object idKey(Object id) {
    // fully qualified: this method is the whole change here
    if (id instanceof java.math.BigInteger) {
      java.math.BigInteger big = (java.math.BigInteger) id;
      return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
    }
    return id instanceof Integer || id instanceof Long ? (Object) ((Number) id).longValue() : id;
  }

  /** Absent or null {@code args}/{@code kwargs} become {@code []}/{@code {}}. */
  static JsonObject withDefaults(JsonObject frame) {
    if (frame.getValue(Envelope.ARGS) == null) {
      frame.put(Envelope.ARGS, new JsonArray());
    }
    if (frame.getValue(Envelope.KWARGS) == null) {
      frame.put(Envelope.KWARGS, new JsonObject());
    }
    return frame;
  }
}
