package org.jwws.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import org.jwws.shared.internal.Envelope;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * A response frame's text written straight from its parts: the JSON of
 * {@link Envelope#response} (same keys, same order, data encoded as Vert.x encodes it) without
 * building the frame's map, or copying the handler's data, first.
 */
final class ResponseText {

  private static final JsonFactory FACTORY = new JsonFactory();

  private ResponseText() {
  }

  /**
   * @param data a JSON value (a string, number, boolean, JsonObject, JsonArray, Map or List), null for {@code []}
   * @throws IllegalArgumentException when {@code data} is no JSON value, as the handler API's copy of it would
   */
  static String of(String src, int code, String msg, Object data, String command, Object id, boolean more) {
    if (!isJsonValue(data)) {
      throw new IllegalArgumentException("data must be a JSON value, not " + data.getClass().getName());
    }
    StringWriter out = new StringWriter(128);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField(Envelope.MODE, Envelope.MODE_REQ_RES);
      json.writeStringField(Envelope.ACTION, Envelope.ACTION_RES);
      if (src != null) {
        json.writeStringField(Envelope.SRC, src);
      }
      json.writeNumberField(Envelope.CODE, code);
      json.writeFieldName(Envelope.MSG);
      json.writeString(msg);
      json.writeFieldName(Envelope.DATA);
      if (data == null) {
        json.writeStartArray();
        json.writeEndArray();
      } else {
        JacksonCodec.encodeJson(data, json);
      }
      if (command != null) {
        json.writeStringField(Envelope.COMMAND, command);
      }
      if (id != null) {
        json.writeFieldName(Envelope.ID);
        JacksonCodec.encodeJson(id, json);
      }
      if (more) {
        json.writeBooleanField(Envelope.MORE, true);
      }
      json.writeEndObject();
    } catch (EncodeException | IllegalStateException e) {
      throw new IllegalArgumentException("data must be a JSON value: " + e.getMessage(), e);
    } catch (IOException e) {
      // a StringWriter does not fail
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** What the handler API takes as data at the top (inside it, whatever Vert.x's JSON encodes). */
  private static boolean isJsonValue(Object data) {
    return data == null || data instanceof String || data instanceof Number || data instanceof Boolean
      || data instanceof JsonObject || data instanceof JsonArray || data instanceof Map || data instanceof List;
  }
}
