package org.jwws.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import org.jwws.shared.internal.Envelope;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A response frame's text written straight from its parts: the JSON of
 * {@link Envelope#response} (same keys, same order, data encoded as Vert.x encodes it) without
 * building the frame's map, or copying the handler's data, first.
 * <p>
 * Each thread that answers keeps one generator and one character buffer for all the responses
 * it encodes: a generator per response, writing into a {@code StringWriter}, spent more than the
 * JSON itself (Jackson's recycled buffers taken and given back, a synchronized builder that
 * checks every character it appends). A response that fails to encode leaves its thread's
 * generator inside a value: that one is dropped, and the thread's next response gets a new one.
 */
final class ResponseText {

  /** Successive responses are separate root values: nothing between them. */
  private static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((SerializableString) null).build();
  private static final SerializableString MODE = new SerializedString(Envelope.MODE);
  private static final SerializableString REQ_RES = new SerializedString(Envelope.MODE_REQ_RES);
  private static final SerializableString ACTION = new SerializedString(Envelope.ACTION);
  private static final SerializableString RES = new SerializedString(Envelope.ACTION_RES);
  private static final SerializableString SRC = new SerializedString(Envelope.SRC);
  private static final SerializableString CODE = new SerializedString(Envelope.CODE);
  private static final SerializableString MSG = new SerializedString(Envelope.MSG);
  private static final SerializableString DATA = new SerializedString(Envelope.DATA);
  private static final SerializableString COMMAND = new SerializedString(Envelope.COMMAND);
  private static final SerializableString ID = new SerializedString(Envelope.ID);
  private static final SerializableString MORE = new SerializedString(Envelope.MORE);
  private static final ThreadLocal<Encoder> ENCODERS = ThreadLocal.withInitial(Encoder::new);

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
    boolean encoded = false;
    try {
      String text = ENCODERS.get().encode(src, code, msg, data, command, id, more);
      encoded = true;
      return text;
    } catch (EncodeException | IllegalStateException e) {
      throw new IllegalArgumentException("data must be a JSON value: " + e.getMessage(), e);
    } catch (IOException e) {
      // the encoder's writer does not fail
      throw new IllegalStateException(e);
    } finally {
      if (!encoded) {
        ENCODERS.remove();
      }
    }
  }

  /** What the handler API takes as data at the top (inside it, whatever Vert.x's JSON encodes). */
  private static boolean isJsonValue(Object data) {
    return data == null || data instanceof String || data instanceof Number || data instanceof Boolean
      || data instanceof JsonObject || data instanceof JsonArray || data instanceof Map || data instanceof List;
  }

  /** One thread's generator and the characters of the response it is writing. */
  private static final class Encoder {

    private final Chars out = new Chars();
    private final JsonGenerator json;

    Encoder() {
      try {
        json = FACTORY.createGenerator(out);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String encode(String src, int code, String msg, Object data, String command, Object id, boolean more) throws IOException {
      out.reset();
      json.writeStartObject();
      json.writeFieldName(MODE);
      json.writeString(REQ_RES);
      json.writeFieldName(ACTION);
      json.writeString(RES);
      if (src != null) {
        json.writeFieldName(SRC);
        json.writeString(src);
      }
      json.writeFieldName(CODE);
      json.writeNumber(code);
      json.writeFieldName(MSG);
      json.writeString(msg);
      json.writeFieldName(DATA);
      if (data == null) {
        json.writeStartArray();
        json.writeEndArray();
      } else {
        JacksonCodec.encodeJson(data, json);
      }
      if (command != null) {
        json.writeFieldName(COMMAND);
        json.writeString(command);
      }
      if (id != null) {
        json.writeFieldName(ID);
        JacksonCodec.encodeJson(id, json);
      }
      if (more) {
        json.writeFieldName(MORE);
        json.writeBoolean(true);
      }
      json.writeEndObject();
      json.flush();
      return out.text();
    }
  }

  /**
   * What the generator flushed, in one array that grows as responses need: a String made from
   * it at once (one intrinsic copy) where a builder checks each character it takes. One thread uses it.
   */
  private static final class Chars extends Writer {

    /** A response longer than this gives its array back instead of keeping it for the next. */
    private static final int KEPT = 16 * 1024;

    private char[] chars = new char[512];
    private int length;

    void reset() {
      if (chars.length > KEPT) {
        chars = new char[512];
      }
      length = 0;
    }

    String text() {
      return new String(chars, 0, length);
    }

    @Override
    public void write(char[] buffer, int offset, int count) {
      if (length + count > chars.length) {
        chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + count));
      }
      System.arraycopy(buffer, offset, chars, length, count);
      length += count;
    }

    @Override
    public void write(String text, int offset, int count) {
      if (length + count > chars.length) {
        chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + count));
      }
      text.getChars(offset, offset + count, chars, length);
      length += count;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }
}
