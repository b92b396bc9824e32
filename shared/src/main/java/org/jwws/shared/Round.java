package org.jwws.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Envelope;

/**
 * The client's next {@code req} frame in a conversation: same {@code id}, same command. Its
 * arguments are read as a request's are ({@link Arguments}).
 */
public final class Round implements Arguments {

  private final JsonObject frame;

  Round(JsonObject frame) {
    this.frame = frame;
  }

  @Override
  public JsonArray args() {
    JsonArray args = frame.getJsonArray(Envelope.ARGS);
    return args == null ? new JsonArray() : args;
  }

  @Override
  public JsonObject kwargs() {
    JsonObject kwargs = frame.getJsonObject(Envelope.KWARGS);
    return kwargs == null ? new JsonObject() : kwargs;
  }

  public String src() {
    return frame.getString(Envelope.SRC);
  }

  /** The whole frame as the client sent it. */
  public JsonObject frame() {
    return frame;
  }
}
