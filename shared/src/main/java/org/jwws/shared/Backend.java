package org.jwws.shared;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * How backend code anywhere in the cluster reaches clients: publish to a topic, broadcast to
 * every client, push to one connection. It needs no WebSocket of its own, only a (clustered)
 * Vert.x instance. Frames are encoded once here and passed on as text.
 */
public final class Backend {

  private final EventBus eventBus;
  private final String src;

  private Backend(Vertx vertx, String src) {
    this.eventBus = vertx.eventBus();
    this.src = src;
  }

  /** @param src the {@code src} written into the frames this backend sends, may be null */
  public static Backend create(Vertx vertx, String src) {
    return new Backend(vertx, src);
  }

  /** Publishes {@code {code, msg, data}} on a topic to its subscribers on every node. */
  public void publish(String topic, int code, String msg, Object data) {
    requireValidName(topic);
    eventBus.publish(Addresses.topic(topic), Envelope.publication(src, topic, code, msg, data).encode());
  }

  /** Writes an envelope to every client on every gateway node. */
  public void broadcast(JsonObject envelope) {
    eventBus.publish(Addresses.BROADCAST, envelope.encode());
  }

  /**
   * Writes an envelope to one client, addressed by {@link CommandRequest#connection()}.
   * Nothing happens if that client has gone.
   */
  public void push(String connection, JsonObject envelope) {
    if (connection == null || !connection.startsWith(Addresses.CONNECTION_PREFIX)) {
      throw new IllegalArgumentException("not a connection address: " + connection);
    }
    eventBus.send(connection, envelope.encode());
  }

  /**
   * Calls {@code handler} with every publication on {@code topic} reaching this process, from
   * clients or backend code on any node. Complete the returned consumer's
   * {@code completion()} before relying on it.
   */
  public MessageConsumer<JsonObject> subscribe(String topic, Handler<JsonObject> handler) {
    requireValidName(topic);
    return eventBus.consumer(Addresses.topic(topic), message -> {
      JsonObject publication = asJson(message.body());
      if (publication != null) {
        handler.handle(publication);
      }
    });
  }

  private static JsonObject asJson(Object body) {
    try {
      if (body instanceof JsonObject) {
        return (JsonObject) body;
      }
      if (body instanceof String) {
        return new JsonObject((String) body);
      }
      if (body instanceof Buffer) {
        return new JsonObject((Buffer) body);
      }
    } catch (DecodeException notJson) {
      return null;
    }
    return null;
  }

  private static void requireValidName(String topic) {
    if (!Names.isValid(topic)) {
      throw new IllegalArgumentException("invalid topic name: " + topic);
    }
  }
}
