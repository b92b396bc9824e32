package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jwws.shared.internal.Headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jwws.shared.GatewaySide.await;
import static org.jwws.shared.GatewaySide.failure;
import static org.jwws.shared.InvocationTest.answer;
import static org.jwws.shared.InvocationTest.body;

/**
 * Attached conversations on the handler side: rounds from the gateway reach the round handler
 * in order, an end (notice, refused attach, expiry, undeploy) reaches the end handler once and
 * releases the gateway's reply handler, and nothing stays attached.
 */
@ExtendWith(VertxExtension.class)
class ConversationsTest {

  private Vertx vertx;
  private ExampleCommands commands;
  private String deployment;
  private GatewaySide gateway;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    commands = new ExampleCommands();
    deployment = await(vertx.deployVerticle(commands));
    gateway = new GatewaySide(vertx);
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void roundsReachTheRoundHandlerInOrderUntilItAnswers() {
    Future<Message<Object>> answer = talk("t");
    for (int n = 1; n <= 3; n++) {
      gateway.round("t", new JsonObject().put("n", n));
    }
    for (int n = 1; n <= 3; n++) {
      assertEquals(n, body(await(gateway.next(Headers.KIND_MORE))).getInteger("data"), "round " + n);
    }
    gateway.round("t", new JsonObject().put("done", true));
    assertEquals(answer(200, "success", 6), body(await(answer)));
    assertEquals(0, commands.attachedConversations(), "detached by its answer");
  }

  @Test
  void anIllTypedArgumentInARoundIsTheFinalAnswer400() {
    Future<Message<Object>> answer = talk("t");
    gateway.round("t", new JsonObject().put("n", "one"));
    assertEquals(answer(400, "kwarg \"n\" must be an integer", new JsonArray()), body(await(answer)));
    assertEquals(0, commands.attachedConversations());
  }

  @Test
  void anEndNoticeReachesTheEndHandlerOnceAndReleasesTheRequest() {
    Future<Message<Object>> answer = talk("t");
    gateway.end("t", EndReason.CLIENT_GONE.name());
    assertEquals(EndReason.CLIENT_GONE, await(commands.firstEnd("t")));
    assertRecipientFailure(answer, Status.CANCELLED, EndReason.CLIENT_GONE.name());
    gateway.end("t", EndReason.CANCELLED.name());
    // the control address takes notices in order: once this one is handled, so was the repeat
    Future<Message<Object>> other = talk("u");
    gateway.end("u", "NO_SUCH_REASON");
    assertEquals(EndReason.CANCELLED, await(commands.firstEnd("u")), "an unknown reason counts as a cancel");
    assertRecipientFailure(other, Status.CANCELLED, EndReason.CANCELLED.name());
    assertEquals(1, commands.endCalls("t"), "a repeated notice is ignored");
    assertEquals(0, commands.attachedConversations());
  }

  @Test
  void anAttachTheGatewayRefusesEndsTheConversation() {
    gateway.refuseAttach();
    Future<Message<Object>> answer = gateway.request("talk", "t", null, 0);
    assertEquals(EndReason.CANCELLED, await(commands.firstEnd("t")), "the gateway no longer has the request");
    assertRecipientFailure(answer, Status.CANCELLED, EndReason.CANCELLED.name());
    assertEquals(0, commands.attachedConversations());
  }

  @Test
  void aConversationExpiresAfterTheRequestTimeoutEvenWithoutANotice() {
    Future<Message<Object>> answer = gateway.request("talk", "t", null, 100);
    await(gateway.next(Headers.KIND_ATTACH));
    assertEquals(EndReason.TIMED_OUT, await(commands.firstEnd("t")));
    assertRecipientFailure(answer, Status.CANCELLED, EndReason.TIMED_OUT.name());
    assertEquals(0, commands.attachedConversations());
  }

  @Test
  void undeployingEndsAttachedConversationsWith503HandlerStopped() {
    Future<Message<Object>> answer = talk("t");
    await(vertx.undeploy(deployment));
    assertEquals(EndReason.HANDLER_STOPPED, await(commands.firstEnd("t")));
    assertRecipientFailure(answer, Status.UNAVAILABLE, "handler stopped");
    assertEquals(0, commands.attachedConversations());
  }

  /** Starts a {@code talk} and waits until it is attached. */
  private Future<Message<Object>> talk(String requestKey) {
    Future<Message<Object>> answer = gateway.request("talk", requestKey, null, 0);
    await(gateway.next(Headers.KIND_ATTACH));
    assertEquals(1, commands.attachedConversations(), "attached");
    return answer;
  }

  private static void assertRecipientFailure(Future<?> answer, int code, String message) {
    ReplyException failure = (ReplyException) failure(answer);
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, failure.failureType());
    assertEquals(code, failure.failureCode());
    assertEquals(message, failure.getMessage());
  }
}
