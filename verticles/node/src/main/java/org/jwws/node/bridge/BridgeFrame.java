package org.jwws.node.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * One frame from a bridge client, in the JSON of vertx-tcp-eventbus-bridge:
 * {@code {type, address, headers, body, replyAddress, failureCode, message}}. Reading it checks
 * every field's type; a frame that does not fit is garbage and closes its client.
 */
final class BridgeFrame {

  static final String PING = "ping";
  static final String REGISTER = "register";
  static final String UNREGISTER = "unregister";
  static final String SEND = "send";
  static final String PUBLISH = "publish";
  private static final Set<String> TYPES = Set.of(PING, REGISTER, UNREGISTER, SEND, PUBLISH);

  final String type;
  final String address;
  /** Never null; every value text. */
  final JsonObject headers;
  final Object body;
  final String replyAddress;
  /** On a send to a reply address: fail the request with this code instead of answering it. */
  final Integer failureCode;
  final String message;

  private BridgeFrame(JsonObject json) {
    type = text(json, "type", true);
    if (!TYPES.contains(type)) {
      throw new Garbage("unknown frame type " + type);
    }
    address = text(json, "address", !PING.equals(type));
    Object rawHeaders = json.getValue("headers");
    if (rawHeaders != null && !(rawHeaders instanceof JsonObject)) {
      throw new Garbage("headers is not an object");
    }
    headers = rawHeaders == null ? new JsonObject() : (JsonObject) rawHeaders;
    headers.forEach(header -> {
      if (!(header.getValue() instanceof String)) {
        throw new Garbage("header " + header.getKey() + " is not text");
      }
    });
    body = json.getValue("body");
    replyAddress = text(json, "replyAddress", false);
    Object code = json.getValue("failureCode");
    if (code != null && !(code instanceof Integer)) {
      throw new Garbage("failureCode is not a whole number");
    }
    failureCode = (Integer) code;
    message = text(json, "message", false);
  }

  /** @throws Garbage when the bytes are not a JSON object of the bridge's shape */
  static BridgeFrame read(Buffer bytes) {
    JsonObject json;
    try {
      json = new JsonObject(bytes);
    } catch (DecodeException | ClassCastException e) {
      throw new Garbage("not a JSON object");
    }
    return new BridgeFrame(json);
  }

  String header(String name) {
    return headers.getString(name);
  }

  private static String text(JsonObject json, String key, boolean required) {
    Object value = json.getValue(key);
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof String)) {
      throw new Garbage(key + (value == null ? " is missing" : " is not text"));
    }
    return (String) value;
  }

  /** A frame that closes its client. */
  static final class Garbage extends RuntimeException {
    Garbage(String reason) {
      super(reason, null, false, false);
    }
  }
}
