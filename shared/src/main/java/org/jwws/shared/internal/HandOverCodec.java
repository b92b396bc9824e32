package org.jwws.shared.internal;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Answers from the handler API: a JsonObject its sender never touches again, so a local
 * delivery hands it over instead of deep-copying it (Vert.x's JsonObject codec copies it on
 * every local send). Between JVMs it travels as JSON text. Both ends register it (the gateway
 * and {@link org.jwws.shared.CommandVerticle}); requests use the default codec, so that plain consumers in any
 * JVM can read them.
 */
public final class HandOverCodec implements MessageCodec<JsonObject, JsonObject> {

  public static final String NAME = "jw.handover";

  /** Registers the codec once per Vert.x instance; every node that sends or receives needs it. */
  public static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new HandOverCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x registered it first
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject body) {
    Buffer encoded = body.toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject body) {
    return body;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
