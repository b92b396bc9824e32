package org.jwws.gateway;

import io.vertx.core.json.JsonObject;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.Names;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The v2 fields of client frames (PROTOCOL.md "v2: history, recovery and presence"): {@code since}
 * and {@code presence_events} on {@code sub}, and the {@code history} and {@code presence}
 * actions. Errors are 400 acks, as for every pub/sub frame.
 */
final class V2Reader {

  static final String SINCE = "since";
  static final String PRESENCE_EVENTS = "presence_events";
  static final String LIMIT = "limit";
  static final int MAX_EPOCH_LENGTH = 64;

  private V2Reader() {
  }

  /** A {@code sub} with its topics already read. */
  static Inbound sub(JsonObject frame, Object id, List<String> topics) throws FrameRejected {
    Object events = frame.getValue(PRESENCE_EVENTS);
    if (events != null && !(events instanceof Boolean)) {
      throw EnvelopeReader.ackError(PRESENCE_EVENTS + " must be true or false", topics, id);
    }
    Map<String, Inbound.Since> since = since(frame, id, topics);
    if (since.isEmpty() && events == null) {
      return new Inbound(Inbound.Kind.SUB, frame, id, null, topics);
    }
    return new Inbound(Inbound.Kind.SUB, frame, id, null, topics, since, Boolean.TRUE.equals(events), null);
  }

  /** {@code history} (optional {@code since}, {@code limit}) or {@code presence} on one topic. */
  static Inbound query(Inbound.Kind kind, JsonObject frame, Object id) throws FrameRejected {
    Object topic = frame.getValue(Envelope.TOPIC);
    if (!(topic instanceof String) || !Names.isValid((String) topic)) {
      throw EnvelopeReader.ackError(kind.action + " takes one valid topic name as a string", List.of(), id);
    }
    List<String> topics = List.of((String) topic);
    if (kind == Inbound.Kind.PRESENCE) {
      return new Inbound(kind, frame, id, null, topics);
    }
    Object limit = frame.getValue(LIMIT);
    if (limit != null && !((limit instanceof Integer || limit instanceof Long) && ((Number) limit).longValue() > 0)) {
      throw EnvelopeReader.ackError(LIMIT + " must be a positive integer", topics, id);
    }
    Integer bounded = limit == null ? null : (int) Math.min(Integer.MAX_VALUE, ((Number) limit).longValue());
    return new Inbound(kind, frame, id, null, topics, since(frame, id, topics), false, bounded);
  }

  /** {@code {"<topic>": {"offset": N, "epoch": E}, ...}}, every key one of the frame's topics. */
  private static Map<String, Inbound.Since> since(JsonObject frame, Object id, List<String> topics) throws FrameRejected {
    Object value = frame.getValue(SINCE);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject)) {
      throw EnvelopeReader.ackError(SINCE + " must be an object keyed by topic", topics, id);
    }
    Map<String, Inbound.Since> since = new HashMap<>();
    // a set: a frame of thousands of topics must not cost thousands squared
    Set<String> named = new HashSet<>(topics);
    for (Map.Entry<String, Object> entry : (JsonObject) value) {
      if (!named.contains(entry.getKey())) {
        throw EnvelopeReader.ackError(SINCE + " names a topic the frame does not: " + describe(entry.getKey()), topics, id);
      }
      since.put(entry.getKey(), position(entry.getKey(), entry.getValue(), topics, id));
    }
    return since;
  }

  private static Inbound.Since position(String topic, Object value, List<String> topics, Object id) throws FrameRejected {
    String shape = SINCE + "." + topic + " must be {\"offset\": an integer >= 0, \"epoch\": a string}";
    if (!(value instanceof JsonObject)) {
      throw EnvelopeReader.ackError(shape, topics, id);
    }
    Object offset = ((JsonObject) value).getValue("offset");
    Object epoch = ((JsonObject) value).getValue("epoch");
    if (!(offset instanceof Integer || offset instanceof Long) || ((Number) offset).longValue() < 0
      || !(epoch instanceof String) || ((String) epoch).isEmpty() || ((String) epoch).length() > MAX_EPOCH_LENGTH) {
      throw EnvelopeReader.ackError(shape, topics, id);
    }
    return new Inbound.Since(((Number) offset).longValue(), (String) epoch);
  }

  private static String describe(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
