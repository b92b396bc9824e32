package org.jwws.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import org.jwws.shared.Status;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.Names;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns one text frame into an {@link Inbound}, or rejects it with a 400 in the reply shape of
 * the frame it concerns: a {@code res} for {@code req}/{@code cancel}, an {@code ack} for
 * {@code sub}/{@code unsub}/{@code pub} and any other action of mode {@code pub_sub}, the
 * original library's failure shape when not even the mode and action could be read.
 */
final class EnvelopeReader {

  /** Longest string id; ids are kept while a request is open, so they are bounded. */
  static final int MAX_ID_LENGTH = 200;

  private final String src;
  private final JsonFactory json;
  private final String limits;

  /** @param options the gateway's {@code src} (written on errors of readable requests) and JSON limits */
  EnvelopeReader(GatewayOptions options) {
    this.src = options.getSrc();
    this.json = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(options.getMaxJsonDepth())
        .maxNumberLength(options.getMaxJsonNumberLength())
        .maxStringLength(options.getMaxFrameSize())
        .build())
      .build();
    this.limits = "JSON over the limits (depth " + options.getMaxJsonDepth() + ", numbers of "
      + options.getMaxJsonNumberLength() + " characters)";
  }

  Inbound read(String text) throws FrameRejected {
    JsonObject frame = parseObject(text);
    Object id = readId(frame);
    Object mode = frame.getValue(Envelope.MODE);
    Object action = frame.getValue(Envelope.ACTION);
    if (Envelope.MODE_REQ_RES.equals(mode)) {
      if (Envelope.ACTION_REQ.equals(action)) {
        return readRequest(frame, id);
      }
      if (Envelope.ACTION_CANCEL.equals(action)) {
        return readCancel(frame, id);
      }
    } else if (Envelope.MODE_PUB_SUB.equals(mode)) {
      if (Envelope.ACTION_SUB.equals(action)) {
        // v2: since and presence_events (V2Reader)
        return V2Reader.sub(frame, id, readTopics(frame, id));
      }
      if (Envelope.ACTION_UNSUB.equals(action)) {
        return new Inbound(Inbound.Kind.UNSUB, frame, id, null, readTopics(frame, id));
      }
      if (Envelope.ACTION_PUB.equals(action)) {
        return readPublication(frame, id);
      }
      if (Envelope.ACTION_HISTORY.equals(action)) {
        return V2Reader.query(Inbound.Kind.HISTORY, frame, id);
      }
      if (Envelope.ACTION_PRESENCE.equals(action)) {
        return V2Reader.query(Inbound.Kind.PRESENCE, frame, id);
      }
      if (action != null) {
        // v2: an unknown pub/sub action is answered in the mode's reply shape, an ack
        throw ackError("unknown action for mode " + mode + ": " + describe(action), readableTopics(frame), id);
      }
    } else {
      throw unparsed(mode == null ? "missing mode" : "unknown mode: " + describe(mode), id);
    }
    throw unparsed(action == null ? "missing action" : "unknown action for mode " + mode + ": " + describe(action), id);
  }

  private JsonObject parseObject(String text) throws FrameRejected {
    Object value;
    try {
      value = JacksonCodec.fromParser(json.createParser(text), Object.class);
    } catch (DecodeException e) {
      throw unparsed(e.getCause() instanceof StreamConstraintsException ? limits : "not JSON", null);
    } catch (IOException e) {
      throw unparsed("not JSON", null);
    }
    if (!(value instanceof JsonObject)) {
      throw unparsed("not a JSON object", null);
    }
    return (JsonObject) value;
  }

  /**
   * A valid id, or null when absent. Numeric ids are integers only: Jackson reads them as
   * Integer, Long or BigInteger, exactly as sent (at most {@code maxJsonNumberLength} digits),
   * and writes them back the same; a fraction or exponent would be a double, which merges
   * distinct ids past 2^53 and turns 1e400 into Infinity.
   */
  private static Object readId(JsonObject frame) throws FrameRejected {
    Object id = frame.getValue(Envelope.ID);
    if (id == null) {
      return null;
    }
    if (id instanceof Integer || id instanceof Long || id instanceof BigInteger) {
      return id;
    }
    if (id instanceof String && ((String) id).length() <= MAX_ID_LENGTH) {
      return id;
    }
    throw unparsed("id must be a string of at most " + MAX_ID_LENGTH + " characters or an integer", null);
  }

  private Inbound readRequest(JsonObject frame, Object id) throws FrameRejected {
    Object command = frame.getValue(Envelope.COMMAND);
    if (!(command instanceof String)) {
      throw requestError(command == null ? "missing command" : "command must be a string", null, id);
    }
    String name = (String) command;
    if (!Names.isValid(name)) {
      throw requestError("invalid command name", null, id);
    }
    Object args = frame.getValue(Envelope.ARGS);
    if (args != null && !(args instanceof JsonArray)) {
      throw requestError("args must be an array", name, id);
    }
    Object kwargs = frame.getValue(Envelope.KWARGS);
    if (kwargs != null && !(kwargs instanceof JsonObject)) {
      throw requestError("kwargs must be an object", name, id);
    }
    requireOptionalString(frame, Envelope.SRC, name, id);
    Object ordered = frame.getValue(RequestFrames.ORDERED);
    if (ordered != null && !(ordered instanceof Boolean)) {
      throw requestError(RequestFrames.ORDERED + " must be a boolean", name, id);
    }
    return new Inbound(Inbound.Kind.REQ, frame, id, name, List.of());
  }

  private Inbound readCancel(JsonObject frame, Object id) throws FrameRejected {
    if (id == null) {
      throw requestError("cancel needs the id of an open request", null, null);
    }
    return new Inbound(Inbound.Kind.CANCEL, frame, id, null, List.of());
  }

  private static Inbound readPublication(JsonObject frame, Object id) throws FrameRejected {
    Object topic = frame.getValue(Envelope.TOPIC);
    if (!(topic instanceof String)) {
      throw ackError(topic == null ? "missing topic" : "pub takes one topic as a string", List.of(), id);
    }
    List<String> topics = List.of((String) topic);
    if (!Names.isValid((String) topic)) {
      throw ackError("invalid topic name", List.of(), id);
    }
    Object code = frame.getValue(Envelope.CODE);
    if (code != null && !(code instanceof Integer || code instanceof Long)) {
      throw ackError("code must be an integer", topics, id);
    }
    Object msg = frame.getValue(Envelope.MSG);
    if (msg != null && !(msg instanceof String)) {
      throw ackError("msg must be a string", topics, id);
    }
    Object src = frame.getValue(Envelope.SRC);
    if (src != null && !(src instanceof String)) {
      throw ackError("src must be a string", topics, id);
    }
    return new Inbound(Inbound.Kind.PUB, frame, id, null, topics);
  }

  private static List<String> readTopics(JsonObject frame, Object id) throws FrameRejected {
    Object topic = frame.getValue(Envelope.TOPIC);
    List<Object> names;
    if (topic instanceof String) {
      names = List.of(topic);
    } else if (topic instanceof JsonArray && !((JsonArray) topic).isEmpty()) {
      names = ((JsonArray) topic).getList();
    } else {
      throw ackError(topic == null ? "missing topic" : "topic must be a string or a non-empty array of strings", List.of(), id);
    }
    Set<String> topics = new LinkedHashSet<>();
    for (Object name : names) {
      if (!(name instanceof String) || !Names.isValid((String) name)) {
        throw ackError("invalid topic name: " + describe(name), List.of(), id);
      }
      topics.add((String) name);
    }
    Object src = frame.getValue(Envelope.SRC);
    if (src != null && !(src instanceof String)) {
      throw ackError("src must be a string", new ArrayList<>(topics), id);
    }
    return List.copyOf(topics);
  }

  /** The frame's topic names when they are valid, for an error ack; none otherwise. */
  private static List<String> readableTopics(JsonObject frame) {
    Object topic = frame.getValue(Envelope.TOPIC);
    List<Object> names = topic instanceof String ? List.of(topic)
      : topic instanceof JsonArray ? ((JsonArray) topic).getList() : List.of();
    Set<String> topics = new LinkedHashSet<>();
    for (Object name : names) {
      if (!(name instanceof String) || !Names.isValid((String) name)) {
        return List.of();
      }
      topics.add((String) name);
    }
    return List.copyOf(topics);
  }

  private void requireOptionalString(JsonObject frame, String field, String command, Object id) throws FrameRejected {
    Object value = frame.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw requestError(field + " must be a string", command, id);
    }
  }

  /** A short, bounded rendering of a client value for an error message. */
  private static String describe(Object value) {
    String text = String.valueOf(value);
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  /** The original library's failure shape, for frames whose mode and action could not be read. */
  static FrameRejected unparsed(String reason, Object id) {
    return new FrameRejected(Envelope.error(null, Status.BAD_REQUEST, reason, null, id));
  }

  private FrameRejected requestError(String reason, String command, Object id) {
    return new FrameRejected(Envelope.error(src, Status.BAD_REQUEST, reason, command, id));
  }

  static FrameRejected ackError(String reason, List<String> topics, Object id) {
    return new FrameRejected(Envelope.ack(Status.BAD_REQUEST, reason, topics, id));
  }
}
