package org.jwws.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Envelope;

/**
 * Turns what the backend put on the event bus into the text of a client frame. Bytes and
 * strings are taken as already-encoded frames; a JsonObject is encoded here, once.
 */
final class Frames {

  private Frames() {
  }

  /** A publication on {@code topic}; a JsonObject lacking the pub fields gets them. */
  static String publicationText(String topic, Object body) {
    if (body instanceof JsonObject) {
      JsonObject frame = (JsonObject) body;
      if (!frame.containsKey(Envelope.MODE)) {
        frame.put(Envelope.MODE, Envelope.MODE_PUB_SUB);
      }
      if (!frame.containsKey(Envelope.ACTION)) {
        frame.put(Envelope.ACTION, Envelope.ACTION_PUB);
      }
      if (!frame.containsKey(Envelope.TOPIC)) {
        frame.put(Envelope.TOPIC, topic);
      }
      return frame.encode();
    }
    return pushText(body);
  }

  /** A frame pushed to one client or broadcast: written as the backend sent it. */
  static String pushText(Object body) {
    if (body instanceof String) {
      return (String) body;
    }
    if (body instanceof Buffer) {
      return body.toString();
    }
    if (body instanceof JsonObject) {
      return ((JsonObject) body).encode();
    }
    throw new IllegalArgumentException("a frame is a JsonObject, a String or a Buffer, not " + (body == null ? "null" : body.getClass().getSimpleName()));
  }
}
