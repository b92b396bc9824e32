package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.shared.GatewaySide.await;
import static org.jwws.shared.GatewaySide.failure;
import static org.jwws.shared.InvocationTest.answer;
import static org.jwws.shared.InvocationTest.body;

/** A handler verticle's life: what it sets up is there before its commands are served, and torn down after. */
@ExtendWith(VertxExtension.class)
class CommandVerticleTest {

  /** The shortest handler class: one command, the default {@code src} (its simple name). */
  static final class Greeter extends CommandVerticle {
    @Override
    protected void registerCommands() {
      command("greet", req -> req.ok("hello " + req.string("name")));
    }
  }

  /** Its command needs what {@link #setUp} makes, asynchronously; {@link #tearDown} notes it ran. */
  static final class Prepared extends CommandVerticle {

    final Promise<String> setUpResult;
    final AtomicBoolean tornDown = new AtomicBoolean();
    private volatile String greeting;

    Prepared(Promise<String> setUpResult) {
      this.setUpResult = setUpResult;
    }

    @Override
    protected Future<?> setUp() {
      return setUpResult.future().onSuccess(text -> greeting = text);
    }

    @Override
    protected Future<?> tearDown() {
      tornDown.set(true);
      return Future.succeededFuture();
    }

    @Override
    protected void registerCommands() {
      command("prepared", req -> req.ok(greeting));
    }
  }

  @Test
  void aOneLineCommandAnswersWithTheClassNameAsSrc(Vertx vertx) {
    await(vertx.deployVerticle(new Greeter()));
    GatewaySide gateway = new GatewaySide(vertx);
    assertEquals(answer(200, "success", "hello jw").put("src", "Greeter"),
      body(await(gateway.request("greet", "1", new JsonObject().put("name", "jw"), 0))));
    gateway.close();
  }

  @Test
  void theCommandsAreServedOnlyOnceSetUpIsDoneAndStopBeforeTearDown(Vertx vertx) {
    Promise<String> setUp = Promise.promise();
    Prepared prepared = new Prepared(setUp);
    Future<String> deployment = vertx.deployVerticle(prepared);
    GatewaySide gateway = new GatewaySide(vertx);
    assertNoHandler(gateway.request("prepared", "1", null, 0));
    assertFalse(deployment.isComplete(), "still setting up");
    setUp.complete("ready");
    String id = await(deployment);
    assertEquals("ready", body(await(gateway.request("prepared", "2", null, 0))).getString("data"));
    await(vertx.undeploy(id));
    assertTrue(prepared.tornDown.get());
    assertNoHandler(gateway.request("prepared", "3", null, 0));
    gateway.close();
  }

  @Test
  void aFailedSetUpFailsTheDeploymentAndServesNothing(Vertx vertx) {
    Promise<String> setUp = Promise.promise();
    Future<String> deployment = vertx.deployVerticle(new Prepared(setUp));
    setUp.fail("no database");
    assertEquals("no database", failure(deployment).getMessage());
    GatewaySide gateway = new GatewaySide(vertx);
    assertNoHandler(gateway.request("prepared", "1", null, 0));
    gateway.close();
  }

  private static void assertNoHandler(Future<?> answer) {
    assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) failure(answer)).failureType());
  }
}
