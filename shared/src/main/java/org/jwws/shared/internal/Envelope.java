package org.jwws.shared.internal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Field names, mode/action values and builders of the JSON envelope (PROTOCOL.md). The field
 * names are those of the original {@code jw_ws} library, so its clients work unchanged.
 */
public final class Envelope {

  public static final String MODE = "mode";
  public static final String ACTION = "action";
  public static final String SRC = "src";
  public static final String COMMAND = "command";
  public static final String ARGS = "args";
  public static final String KWARGS = "kwargs";
  public static final String TOPIC = "topic";
  public static final String CODE = "code";
  public static final String MSG = "msg";
  public static final String DATA = "data";
  public static final String ID = "id";
  public static final String MORE = "more";

  public static final String MODE_REQ_RES = "req_res";
  public static final String MODE_PUB_SUB = "pub_sub";

  public static final String ACTION_REQ = "req";
  public static final String ACTION_RES = "res";
  public static final String ACTION_CANCEL = "cancel";
  public static final String ACTION_SUB = "sub";
  public static final String ACTION_UNSUB = "unsub";
  public static final String ACTION_PUB = "pub";
  public static final String ACTION_ACK = "ack";
  public static final String ACTION_HISTORY = "history";
  public static final String ACTION_PRESENCE = "presence";
  public static final String ACTION_JOIN = "join";
  public static final String ACTION_LEAVE = "leave";

  private Envelope() {
  }

  /**
   * A response frame. {@code command} and {@code id} are left out when null, {@code more} when
   * false.
   */
  public static JsonObject response(String src, int code, String msg, Object data, String command,
                                    Object id, boolean more) {
    JsonObject frame = new JsonObject()
      .put(MODE, MODE_REQ_RES)
      .put(ACTION, ACTION_RES);
    if (src != null) {
      frame.put(SRC, src);
    }
    frame.put(CODE, code).put(MSG, msg).put(DATA, data == null ? new JsonArray() : data);
    putIfPresent(frame, COMMAND, command);
    putIfPresent(frame, ID, id);
    if (more) {
      frame.put(MORE, true);
    }
    return frame;
  }

  /** The failure shape of the original library, for errors that concern a request. */
  public static JsonObject error(String src, int code, String msg, String command, Object id) {
    return response(src, code, msg, new JsonArray(), command, id, false);
  }

  /** An acknowledgement of a {@code sub}, {@code unsub} or {@code pub}. */
  public static JsonObject ack(int code, String msg, List<String> topics, Object id) {
    JsonObject frame = new JsonObject()
      .put(MODE, MODE_PUB_SUB)
      .put(ACTION, ACTION_ACK)
      .put(CODE, code)
      .put(MSG, msg)
      .put(TOPIC, new JsonArray(List.copyOf(topics)));
    putIfPresent(frame, ID, id);
    return frame;
  }

  /** A publication as clients receive it. */
  public static JsonObject publication(String src, String topic, int code, String msg, Object data) {
    JsonObject frame = new JsonObject()
      .put(MODE, MODE_PUB_SUB)
      .put(ACTION, ACTION_PUB);
    if (src != null) {
      frame.put(SRC, src);
    }
    return frame.put(TOPIC, topic).put(CODE, code).put(MSG, msg)
      .put(DATA, data == null ? new JsonArray() : data);
  }

  private static void putIfPresent(JsonObject frame, String key, Object value) {
    if (value != null) {
      frame.put(key, value);
    }
  }
}
