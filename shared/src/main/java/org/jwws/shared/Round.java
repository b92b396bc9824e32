package org.jwws.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The client's next {@code req} frame in a conversation: same {@code id}, same command.
 */
public final class Round {

  private final JsonObject frame;

  Round(JsonObject frame) {
    this.frame = frame;
  }

  public JsonArray args() {
    return frame.getJsonArray(Envelope.ARGS, new JsonArray());
  }

  public JsonObject kwargs() {
    return frame.getJsonObject(Envelope.KWARGS, new JsonObject());
  }

  public String src() {
    return frame.getString(Envelope.SRC);
  }

  /** The whole frame as the client sent it. */
  public JsonObject frame() {
    return frame;
  }
}
