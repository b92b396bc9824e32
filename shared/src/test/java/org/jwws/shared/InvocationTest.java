package org.jwws.shared;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jwws.shared.internal.Envelope;
import org.jwws.shared.internal.Headers;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.jwws.shared.GatewaySide.await;

/**
 * One invocation of a command as the gateway sees it on the event bus: its one final answer,
 * the intermediate responses before it, and the 400 of a bad argument.
 */
@ExtendWith(VertxExtension.class)
class InvocationTest {

  private GatewaySide gateway;

  @BeforeEach
  void deploy(Vertx vertx) {
    await(vertx.deployVerticle(new ExampleCommands()));
    gateway = new GatewaySide(vertx);
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void theFirstFinalAnswerIsTheOnlyOneAndAPlainRequestDoesNotAttach() {
    JsonObject answer = body(await(gateway.request("twice", "1", null, 0)));
    assertEquals(answer(200, "success", 1), answer);
    JsonObject mark = (JsonObject) await(gateway.next(GatewaySide.KIND_MARK)).body();
    assertFalse(mark.getBoolean("open"), "answered: no longer open");
    assertEquals(List.of(), kinds(gateway.pending()), "no attach, no progress after the answer");
  }

  @Test
  void progressReachesTheConnectionBeforeTheFinalAnswerAndNotAfterIt() {
    Message<Object> answer = await(gateway.request("steps", "2", null, 0));
    assertEquals(3, body(answer).getInteger("data"));
    assertEquals("1", answer.headers().get(Headers.ANSWER), "an answer of the handler API");
    await(gateway.next(GatewaySide.KIND_MARK));
    List<Message<Object>> sent = gateway.pending();
    assertEquals(List.of(Headers.KIND_ATTACH, Headers.KIND_MORE, Headers.KIND_MORE), kinds(sent),
      "progress attaches first; nothing after the final answer");
    assertEquals(answer(200, "progress", new JsonObject().put("step", 1)), body(sent.get(1)), "the data as it was when it was sent");
    assertEquals(answer(200, "halfway", new JsonObject().put("step", 2)), body(sent.get(2)));
    sent.subList(1, 3).forEach(more -> assertEquals("2", more.headers().get(Headers.REQUEST), "names the request"));
  }

  @Test
  void aMissingOrIllTypedArgumentIsAnswered400NamingIt() {
    assertEquals(answer(400, "missing kwarg \"count\"", new JsonArray()), body(await(gateway.request("count", "3", null, 0))));
    assertEquals(answer(400, "kwarg \"count\" must be an integer", new JsonArray()),
      body(await(gateway.request("count", "4", new JsonObject().put("count", "ten"), 0))));
    assertEquals(answer(400, "kwarg \"count\" must be an integer", new JsonArray()),
      body(await(gateway.request("count", "5", new JsonObject().put("count", 2.5), 0))));
    assertEquals(answer(200, "success", 10), body(await(gateway.request("count", "6", new JsonObject().put("count", 10.0), 0))),
      "a whole number written with a decimal point is an integer");
    assertEquals(answer(400, "missing arg 0", new JsonArray()), body(await(gateway.request("greet", "7", null, 0))));
  }

  @Test
  void positionalArgumentsAndDefaults() {
    JsonObject frame = GatewaySide.frame("greet", null).put(Envelope.ARGS, new JsonArray().add("hello"));
    assertEquals(answer(200, "success", "hello world"), body(await(gateway.request("8", frame, 0))));
    frame.put(Envelope.KWARGS, new JsonObject().put("name", "jw"));
    assertEquals(answer(200, "success", "hello jw"), body(await(gateway.request("9", frame, 0))));
    frame.put(Envelope.ARGS, new JsonArray().add(42));
    assertEquals(answer(400, "arg 0 must be a string", new JsonArray()), body(await(gateway.request("10", frame, 0))));
  }

  @Test
  void aClassCastExceptionOfAnUntypedReadIsStillA500() {
    assertEquals(answer(500, "handler failed", new JsonArray()),
      body(await(gateway.request("cast", "11", new JsonObject().put("count", "ten"), 0))),
      "what the typed accessors are for");
  }

  static JsonObject answer(int code, String msg, Object data) {
    return new JsonObject().put("src", ExampleCommands.SRC).put("code", code).put("msg", msg).put("data", data);
  }

  static JsonObject body(Message<Object> message) {
    return (JsonObject) message.body();
  }

  static List<String> kinds(List<Message<Object>> messages) {
    return messages.stream().map(message -> message.headers().get(Headers.KIND)).collect(Collectors.toList());
  }
}
