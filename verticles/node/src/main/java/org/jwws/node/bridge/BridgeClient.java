package org.jwws.node.bridge;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;
import org.jwws.shared.Status;
import org.jwws.shared.internal.Addresses;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.FlowMarkers;
import org.jwws.shared.internal.HandOverCodec;
import org.jwws.shared.internal.Headers;
import org.jwws.shared.internal.LocalHandlers;
import org.jwws.shared.internal.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One TCP connection of the bridge: a handler process (Python, ...) serving commands, reading
 * and writing topics. It may register {@code cmd.*} and {@code topic.*} as the rules permit and
 * one control address; answer the requests delivered to it; send intermediate responses and an
 * attach to the connections those requests came from, while they are open; publish and
 * broadcast as the rules permit. Nothing else reaches the event bus. Touched only from its
 * socket's event loop.
 */
final class BridgeClient {

  private static final Logger log = LoggerFactory.getLogger(BridgeClient.class);
  /** A handler's control address, as the handler API makes them: unguessable. */
  private static final Pattern CONTROL = Pattern.compile(
    Pattern.quote(Addresses.CONTROL_PREFIX) + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  /** Kept past a request's own timeout: the gateway has given up on it by then. */
  private static final long EXPIRY_MARGIN_MS = 1_000;
  private static final long DEFAULT_TIMEOUT_MS = 30_000;
  private static final long ATTACH_TIMEOUT_MS = 10_000;
  /** Bytes waiting to be written to the client before it counts as not reading. */
  private static final int MAX_WRITE_QUEUE_BYTES = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final EventBus eventBus;
  private final NetSocket socket;
  private final BridgeOptions options;
  private final String peer;
  private final FrameReader reader;
  private final Map<String, MessageConsumer<Object>> consumers = new HashMap<>();
  /** Requests delivered here and not answered, by their reply address. */
  private final Map<String, PendingRequest> requests = new HashMap<>();
  /** The {@code jw-conn/jw-rid} of every request in {@link #requests}. */
  private final Set<String> conversations = new HashSet<>();
  private boolean authenticated;
  private String control;
  private boolean closed;

  BridgeClient(Vertx vertx, NetSocket socket, BridgeOptions options) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.socket = socket;
    this.options = options;
    this.peer = String.valueOf(socket.remoteAddress());
    this.authenticated = options.token() == null;
    this.reader = new FrameReader(options.maxFrameSize(), this::frame, this::garbage);
    socket.setWriteQueueMaxSize(MAX_WRITE_QUEUE_BYTES);
    socket.handler(reader);
    socket.closeHandler(v -> closed());
    socket.exceptionHandler(err -> {
      log.debug("bridge client {}: {}", peer, err.toString());
      socket.close();
    });
  }

  private void frame(Buffer bytes) {
    BridgeFrame frame;
    try {
      frame = BridgeFrame.read(bytes);
    } catch (BridgeFrame.Garbage garbage) {
      garbage(garbage.getMessage());
      return;
    }
    if (!authenticated) {
      login(frame);
      return;
    }
    switch (frame.type) {
      case BridgeFrame.PING:
        FrameHelper.sendFrame("pong", socket);
        break;
      case BridgeFrame.REGISTER:
        register(frame.address);
        break;
      case BridgeFrame.UNREGISTER:
        unregister(frame.address);
        break;
      case BridgeFrame.SEND:
        send(frame);
        break;
      case BridgeFrame.PUBLISH:
        publish(frame);
        break;
      default:
        throw new IllegalStateException("unhandled frame type " + frame.type);
    }
  }

  /** With a token configured, the first frame is a ping carrying it in header {@code token}. */
  private void login(BridgeFrame frame) {
    String token = frame.header("token");
    if (BridgeFrame.PING.equals(frame.type) && token != null && MessageDigest.isEqual(
      token.getBytes(StandardCharsets.UTF_8), options.token().getBytes(StandardCharsets.UTF_8))) {
      authenticated = true;
      FrameHelper.sendFrame("pong", socket);
    } else {
      log.info("bridge client {} closed: no valid token", peer);
      close(null, "unauthorized");
    }
  }

  private void register(String address) {
    if (consumers.containsKey(address)) {
      write(new JsonObject().put("type", "registered").put("address", address));
      return;
    }
    Handler<Message<Object>> delivery = delivery(address);
    if (delivery == null) {
      denied(address, "may not register this address");
      return;
    }
    if (consumers.size() >= options.maxRegistrations()) {
      denied(address, "registration limit " + options.maxRegistrations() + " reached");
      return;
    }
    MessageConsumer<Object> consumer = eventBus.consumer(address, delivery);
    added(address, consumer);
    if (CONTROL.matcher(address).matches()) {
      control = address;
    }
    // registered cluster-wide: requests sent after this frame are served here
    consumer.completion().onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.succeeded()) {
        write(new JsonObject().put("type", "registered").put("address", address));
      } else {
        if (consumers.get(address) == consumer) {
          removed(address);
        }
        error(address, "registration failed: " + ar.cause().getMessage());
      }
    });
  }

  /** A command served here shares the requests with this JVM's handler API instances: the gateway must not call those directly. */
  private void added(String address, MessageConsumer<Object> consumer) {
    consumers.put(address, consumer);
    if (address.startsWith(Addresses.COMMAND_PREFIX)) {
      LocalHandlers.of(vertx).plainAdded(address.substring(Addresses.COMMAND_PREFIX.length()));
    }
  }

  /** @return the consumer of {@code address}, null when there is none */
  private MessageConsumer<Object> removed(String address) {
    MessageConsumer<Object> consumer = consumers.remove(address);
    if (consumer != null && address.startsWith(Addresses.COMMAND_PREFIX)) {
      LocalHandlers.of(vertx).plainRemoved(address.substring(Addresses.COMMAND_PREFIX.length()));
    }
    return consumer;
  }

  /** What to do with messages on {@code address}, or null when this client may not consume it. */
  private Handler<Message<Object>> delivery(String address) {
    if (address.startsWith(Addresses.COMMAND_PREFIX)) {
      String command = address.substring(Addresses.COMMAND_PREFIX.length());
      return Names.isValid(command) && options.mayServe(command) ? this::request : null;
    }
    if (address.startsWith(Addresses.TOPIC_PREFIX)) {
      String topic = address.substring(Addresses.TOPIC_PREFIX.length());
      return Names.isValid(topic) && options.maySubscribe(topic) ? this::publication : null;
    }
    if (control == null && CONTROL.matcher(address).matches()) {
      return this::forward;
    }
    return null;
  }

  private void unregister(String address) {
    MessageConsumer<Object> consumer = removed(address);
    if (consumer == null) {
      error(address, "unknown_address");
      return;
    }
    if (address.equals(control)) {
      control = null;
    }
    consumer.unregister().onComplete(ar -> {
      if (!closed) {
        write(new JsonObject().put("type", "unregistered").put("address", address));
      }
    });
  }

  /** A request for a command this client serves: it may answer it and speak in its conversation until then. */
  private void request(Message<Object> message) {
    String reply = message.replyAddress();
    if (reply == null) {
      forward(message);
      return;
    }
    if (requests.size() >= options.maxOpenRequests()) {
      message.fail(Status.UNAVAILABLE, "bridge handler has " + options.maxOpenRequests() + " open requests");
      return;
    }
    if (socket.writeQueueFull()) {
      message.fail(Status.UNAVAILABLE, "bridge handler is not reading");
      return;
    }
    long timeoutMs = parseLong(message.headers().get(Headers.TIMEOUT), DEFAULT_TIMEOUT_MS);
    String conversation = conversation(message.headers().get(Headers.CONNECTION), message.headers().get(Headers.REQUEST));
    long timer = vertx.setTimer(timeoutMs + EXPIRY_MARGIN_MS, id -> drop(reply));
    requests.put(reply, new PendingRequest(message, conversation, timer));
    conversations.add(conversation);
    forward(message);
  }

  private void publication(Message<Object> message) {
    if (FlowMarkers.isMarker(message)) {
      // credited once written: a client that cannot keep up is closed below, never queued for
      FlowMarkers.credit(vertx, message.address().substring(Addresses.TOPIC_PREFIX.length()), message);
      return;
    }
    if (socket.writeQueueFull()) {
      log.info("bridge client {} closed: slow consumer", peer);
      close(null, "slow consumer: " + MAX_WRITE_QUEUE_BYTES + " bytes waiting");
      return;
    }
    forward(message);
  }

  /** Writes an event-bus message to the client in the bridge's {@code message} frame. */
  private void forward(Message<Object> message) {
    JsonObject headers = new JsonObject();
    message.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
    Object body = message.body() instanceof Buffer ? message.body().toString() : message.body();
    FrameHelper.sendFrame("message", message.address(), message.replyAddress(), headers, message.isSend(), body, socket);
  }

  private void send(BridgeFrame frame) {
    PendingRequest pending = drop(frame.address);
    if (pending != null) {
      answer(pending.message, frame);
    } else if (frame.address.startsWith(Addresses.CONNECTION_PREFIX)) {
      toConnection(frame);
    } else {
      denied(frame.address, "may only answer its requests and speak in their conversations");
    }
  }

  /** The final answer (or failure) of a request, headers limited to {@code jw-answer}. */
  private void answer(Message<Object> request, BridgeFrame frame) {
    if (frame.failureCode != null) {
      request.fail(frame.failureCode, frame.message == null ? Status.reason(frame.failureCode) : frame.message);
      return;
    }
    request.reply(frame.body, answerOptions(frame));
  }

  /** An attach or an intermediate response, to the connection of a request this client holds. */
  private void toConnection(BridgeFrame frame) {
    String rid = frame.header(Headers.REQUEST);
    if (rid == null || !conversations.contains(conversation(frame.address, rid))) {
      denied(frame.address, "no open request of this client from this connection");
      return;
    }
    String kind = frame.header(Headers.KIND);
    if (Headers.KIND_MORE.equals(kind)) {
      eventBus.send(frame.address, frame.body, answerOptions(frame).addHeader(Headers.KIND, kind).addHeader(Headers.REQUEST, rid));
    } else if (Headers.KIND_ATTACH.equals(kind) && control != null && control.equals(frame.header(Headers.CONTROL))
      && frame.replyAddress != null) {
      DeliveryOptions attach = new DeliveryOptions().setSendTimeout(ATTACH_TIMEOUT_MS)
        .addHeader(Headers.KIND, kind).addHeader(Headers.REQUEST, rid).addHeader(Headers.CONTROL, control);
      eventBus.request(frame.address, null, attach).onComplete(ar -> {
        if (closed) {
          return;
        }
        if (ar.succeeded()) {
          FrameHelper.sendFrame("message", frame.replyAddress, null, null, true, ar.result().body(), socket);
        } else if (ar.cause() instanceof ReplyException) {
          FrameHelper.sendErrFrame(frame.address, frame.replyAddress, (ReplyException) ar.cause(), socket);
        } else {
          error(frame.replyAddress, ar.cause().getMessage());
        }
      });
    } else {
      denied(frame.address, "only jw-kind more, or attach with this client's registered control address and a replyAddress");
    }
  }

  private void publish(BridgeFrame frame) {
    String address = frame.address;
    boolean broadcast = Addresses.BROADCAST.equals(address);
    String topic = address.startsWith(Addresses.TOPIC_PREFIX) ? address.substring(Addresses.TOPIC_PREFIX.length()) : null;
    if (broadcast ? !options.mayBroadcast() : topic == null || !Names.isValid(topic) || !options.mayPublish(topic)) {
      denied(address, broadcast ? "may not broadcast" : "may not publish here");
      return;
    }
    if (!(frame.body instanceof JsonObject)) {
      error(address, "body must be an envelope (a JSON object)");
      return;
    }
    JsonObject envelope = (JsonObject) frame.body;
    if (topic != null) {
      // the frame subscribers see is that of its own topic, whatever the body claimed
      envelope.put(Envelope.MODE, Envelope.MODE_PUB_SUB).put(Envelope.ACTION, Envelope.ACTION_PUB).put(Envelope.TOPIC, topic);
    }
    // as text, as Backend does: every node passes it on without encoding it again
    eventBus.publish(address, envelope.encode());
  }

  /** Forgets a pending request (answered or expired); null when there was none. */
  private PendingRequest drop(String replyAddress) {
    PendingRequest pending = requests.remove(replyAddress);
    if (pending != null) {
      vertx.cancelTimer(pending.timer);
      conversations.remove(pending.conversation);
    }
    return pending;
  }

  private void garbage(String reason) {
    log.info("bridge client {} closed: {}", peer, reason);
    close(null, reason);
  }

  /** Says why, then closes; the close handler releases everything. */
  private void close(String address, String reason) {
    reader.stop();
    error(address, reason);
    socket.close();
  }

  /** The client is gone: its registrations go at once, its open requests fail with 503. */
  private void closed() {
    closed = true;
    reader.stop();
    new HashSet<>(consumers.keySet()).forEach(address -> removed(address).unregister());
    for (PendingRequest pending : requests.values()) {
      vertx.cancelTimer(pending.timer);
      pending.message.fail(Status.UNAVAILABLE, "bridge handler disconnected");
    }
    requests.clear();
    conversations.clear();
  }

  private void denied(String address, String reason) {
    write(new JsonObject().put("type", "err").put("message", "access_denied").put("address", address).put("reason", reason));
  }

  private void error(String address, String message) {
    JsonObject err = new JsonObject().put("type", "err").put("message", message);
    if (address != null) {
      err.put("address", address);
    }
    write(err);
  }

  private void write(JsonObject frame) {
    FrameHelper.writeFrame(frame, socket);
  }

  /** Answers travel with {@code jw-answer} only; a body of the handler API is handed over, not copied. */
  private static DeliveryOptions answerOptions(BridgeFrame frame) {
    DeliveryOptions options = new DeliveryOptions();
    if (frame.header(Headers.ANSWER) != null) {
      options.addHeader(Headers.ANSWER, "1");
    }
    if (frame.body instanceof JsonObject) {
      options.setCodecName(HandOverCodec.NAME);
    }
    return options;
  }

  private static String conversation(String connection, String rid) {
    return connection + '/' + rid;
  }

  private static long parseLong(String value, long otherwise) {
    try {
      return value == null ? otherwise : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
