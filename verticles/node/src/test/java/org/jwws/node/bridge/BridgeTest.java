package org.jwws.node.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.TestClient;
import org.jwws.node.Node;
import org.jwws.shared.CommandVerticle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * The bridge from its wire: a raw TCP client speaks the event-bus protocol of the handler API
 * (answer, attach, more) to a real WebSocket client of the same node, is refused what the rules
 * do not permit, and garbage closes only its own connection.
 */
class BridgeTest {

  private static final String TOKEN = "a shared secret of the bridge test";
  private static Node node;
  private static Vertx clients;

  @BeforeAll
  static void start() {
    JsonObject config = new JsonObject()
      .put("gateway", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1))
      .put("handlers", new JsonArray())
      .put("bridge", new JsonObject().put("port", 0).put("token", TOKEN).put("commands", new JsonArray().add("j_*")));
    node = await(Node.start(config));
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(clients.close());
    await(node.stop());
  }

  private static BridgeSocket loggedIn() throws IOException {
    BridgeSocket bridge = BridgeSocket.connect(node.bridgePort());
    bridge.send(new JsonObject().put("type", "ping").put("headers", new JsonObject().put("token", TOKEN)));
    assertEquals(new JsonObject().put("type", "pong"), bridge.next());
    return bridge;
  }

  private static void register(BridgeSocket bridge, String address) throws IOException {
    bridge.send(new JsonObject().put("type", "register").put("address", address));
    assertEquals(new JsonObject().put("type", "registered").put("address", address), bridge.next());
  }

  @Test
  void aBridgeClientAnswersLikeTheHandlerApi() throws Exception {
    BridgeSocket bridge = loggedIn();
    String control = "jw.ctl.1b4e28ba-2fa1-11d2-883f-0016d3cca427";
    register(bridge, "cmd.j_hello");
    register(bridge, control);
    TestClient client = await(TestClient.connect(clients, node.gateway().port()));
    client.send(TestClient.req("j_hello", 1, new JsonObject().put("name", "jw")));

    JsonObject request = bridge.next();
    assertEquals("cmd.j_hello", request.getString("address"));
    assertEquals(new JsonObject().put("name", "jw"), request.getJsonObject("body").getJsonObject("kwargs"));
    JsonObject headers = request.getJsonObject("headers");
    String connection = headers.getString("jw-conn");
    String rid = headers.getString("jw-rid");
    assertTrue(connection.startsWith("jw.conn."), connection);
    assertEquals("30000", headers.getString("jw-timeout"));

    bridge.send(new JsonObject().put("type", "send").put("address", connection).put("replyAddress", "attached")
      .put("headers", new JsonObject().put("jw-kind", "attach").put("jw-rid", rid).put("jw-ctl", control)));
    assertEquals("attached", bridge.next().getString("address"));
    JsonObject answerHeader = new JsonObject().put("jw-answer", "1");
    bridge.send(new JsonObject().put("type", "send").put("address", connection)
      .put("headers", answerHeader.copy().put("jw-kind", "more").put("jw-rid", rid))
      .put("body", new JsonObject().put("src", "java-test").put("code", 200).put("msg", "half").put("data", 50)));
    bridge.send(new JsonObject().put("type", "send").put("address", request.getString("replyAddress")).put("headers", answerHeader)
      .put("body", new JsonObject().put("src", "java-test").put("code", 201).put("msg", "done").put("data", new JsonArray().add(1))));

    assertEquals(new JsonObject().put("mode", "req_res").put("action", "res").put("src", "java-test").put("code", 200)
      .put("msg", "half").put("data", 50).put("command", "j_hello").put("id", 1).put("more", true), await(client.next()));
    assertEquals(new JsonObject().put("mode", "req_res").put("action", "res").put("src", "java-test").put("code", 201)
      .put("msg", "done").put("data", new JsonArray().add(1)).put("command", "j_hello").put("id", 1), await(client.next()));

    // answered: the conversation is closed to it too
    bridge.send(new JsonObject().put("type", "send").put("address", connection)
      .put("headers", new JsonObject().put("jw-kind", "more").put("jw-rid", rid)).put("body", new JsonObject()));
    assertEquals("access_denied", bridge.next().getString("message"));
    await(client.close());
    bridge.close();
  }

  /** A handler API instance in the node's own JVM, sharing a command with a bridge client. */
  public static final class JavaShare extends CommandVerticle {

    @Override
    protected void registerCommands() {
      command("j_share", req -> req.ok("java"));
    }
  }

  @Test
  void aBridgeClientSharesACommandWithAJavaHandlerOfTheSameJvm() throws Exception {
    String java = await(node.vertx().deployVerticle(new JavaShare()));
    BridgeSocket bridge = loggedIn();
    register(bridge, "cmd.j_share");
    TestClient client = await(TestClient.connect(clients, node.gateway().port()));
    // two servers, round robin: of two requests each gets one (were the Java one called
    // directly, the bridge would get none)
    Future<JsonObject> first = client.request("j_share", null);
    Future<JsonObject> second = client.request("j_share", null);
    JsonObject request = bridge.next();
    bridge.send(new JsonObject().put("type", "send").put("address", request.getString("replyAddress"))
      .put("headers", new JsonObject().put("jw-answer", "1"))
      .put("body", new JsonObject().put("src", "py").put("code", 200).put("msg", "success").put("data", "python")));
    assertEquals(List.of("java", "python"),
      Stream.of(await(first).getString("data"), await(second).getString("data")).sorted().toList());
    bridge.close();
    await(node.vertx().undeploy(java));
    await(client.close());
  }

  @Test
  void itsOpenRequestsFail503WhenItGoes() throws Exception {
    BridgeSocket bridge = loggedIn();
    register(bridge, "cmd.j_hold");
    TestClient client = await(TestClient.connect(clients, node.gateway().port()));
    client.send(TestClient.req("j_hold", "h", new JsonObject()));
    bridge.next();
    bridge.close();
    JsonObject answer = await(client.finalResponse("h"));
    assertEquals(503, answer.getInteger("code"));
    assertEquals("bridge handler disconnected", answer.getString("msg"));
    await(client.close());
  }

  @Test
  void whatTheRulesDoNotPermitIsRefused() throws Exception {
    BridgeSocket bridge = loggedIn();
    for (String address : new String[] {"cmd.echo", "jw.broadcast", "jw.ctl.guess"}) {
      bridge.send(new JsonObject().put("type", "register").put("address", address));
      JsonObject refused = bridge.next();
      assertEquals("access_denied", refused.getString("message"), address);
      assertEquals(address, refused.getString("address"));
    }
    bridge.send(new JsonObject().put("type", "publish").put("address", "jw.broadcast").put("body", new JsonObject()));
    assertEquals("access_denied", bridge.next().getString("message"));
    bridge.close();
  }

  @Test
  void garbageAndNoTokenCloseOnlyThatClient() throws Exception {
    BridgeSocket bystander = loggedIn();
    Buffer[] garbage = {
      Buffer.buffer().appendInt(Integer.MAX_VALUE).appendString("{"),
      Buffer.buffer().appendInt(8).appendString("not json"),
      frame(new JsonObject().put("type", 5)),
      frame(new JsonObject().put("type", "send").put("address", "x").put("headers", new JsonObject().put("jw-kind", 1))),
    };
    for (Buffer bytes : garbage) {
      BridgeSocket bad = loggedIn();
      bad.sendBytes(bytes);
      assertEquals("err", bad.next().getString("type"));
      assertTrue(bad.closedByBridge());
    }
    BridgeSocket anonymous = BridgeSocket.connect(node.bridgePort());
    anonymous.send(new JsonObject().put("type", "register").put("address", "cmd.j_x"));
    assertEquals(new JsonObject().put("type", "err").put("message", "unauthorized"), anonymous.next());
    assertTrue(anonymous.closedByBridge());
    bystander.send(new JsonObject().put("type", "ping"));
    assertEquals(new JsonObject().put("type", "pong"), bystander.next());
    bystander.close();
  }

  private static Buffer frame(JsonObject json) {
    Buffer bytes = json.toBuffer();
    return Buffer.buffer().appendInt(bytes.length()).appendBuffer(bytes);
  }
}
