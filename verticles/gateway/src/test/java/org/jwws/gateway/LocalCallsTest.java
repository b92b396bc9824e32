package org.jwws.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.ThreadingModel;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.CommandVerticle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.jwws.gateway.TestClient.await;

/**
 * A command served only by handler API instances of the gateway's JVM is called directly: the
 * same answers, and no request on the event bus; with {@code localCalls: false} every request
 * takes the event bus. (That a command with other servers is shared with them is shown by the
 * cluster and bridge tests.)
 */
class LocalCallsTest extends GatewayTestBase {

  private final AtomicInteger echoesOverTheBus = new AtomicInteger();
  private final Handler<DeliveryContext<Object>> counter = delivery -> {
    if ("cmd.echo".equals(delivery.message().address())) {
      echoesOverTheBus.incrementAndGet();
    }
    delivery.next();
  };

  @BeforeEach
  void countEchoesOverTheBus() {
    vertx.eventBus().addOutboundInterceptor(counter);
  }

  @AfterEach
  void stopCounting() {
    vertx.eventBus().removeOutboundInterceptor(counter);
  }

  private static void twentyEchoes(TestClient client) {
    for (int i = 0; i < 20; i++) {
      JsonObject res = await(client.request("echo", new JsonObject().put("i", i)));
      assertEquals(200, res.getInteger("code"), res.encode());
      assertEquals(new JsonObject().put("args", new JsonArray()).put("kwargs", new JsonObject().put("i", i)),
        res.getJsonObject("data"));
    }
  }

  @Test
  void aCommandServedOnlyInThisJvmIsAnsweredWithoutTheEventBus() {
    twentyEchoes(client());
    assertEquals(0, echoesOverTheBus.get());
  }

  /** {@code kwargs.n} intermediate responses and the final answer, all given before the handler returns. */
  public static final class Steps extends CommandVerticle {

    @Override
    protected void registerCommands() {
      command(config().getString("command"), req -> {
        int n = req.integer("n");
        for (int step = 1; step <= n; step++) {
          req.progress(step);
        }
        req.ok("done");
      });
    }
  }

  @Test
  void intermediateResponsesReachTheClientBeforeTheFinalOneOnEveryKindOfInstance() {
    await(vertx.deployVerticle(Steps.class.getName(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
      .setConfig(new JsonObject().put("command", "steps_on_a_worker"))));
    // one instance per event loop: some connections share the handler's loop, some do not
    await(vertx.deployVerticle(Steps.class.getName(), new DeploymentOptions().setInstances(2)
      .setConfig(new JsonObject().put("command", "steps_on_a_loop"))));
    for (int connection = 0; connection < 4; connection++) {
      TestClient client = client();
      for (String command : new String[] {"steps_on_a_worker", "steps_on_a_loop"}) {
        client.send(TestClient.req(command, command, new JsonObject().put("n", 5)));
        for (int step = 1; step <= 5; step++) {
          JsonObject more = await(client.next());
          assertEquals(step, more.getValue("data"), more.encode());
          assertEquals(true, more.getBoolean("more"), more.encode());
        }
        JsonObject done = await(client.next());
        assertEquals("done", done.getValue("data"), done.encode());
        assertFalse(done.containsKey("more"));
      }
    }
  }

  @Test
  void withLocalCallsOffEveryRequestTakesTheEventBus() {
    Gateway overTheBus = await(Gateway.deploy(vertx, options().setLocalCalls(false)));
    try {
      TestClient client = await(TestClient.connect(vertx, overTheBus.port()));
      twentyEchoes(client);
      await(client.close());
      assertEquals(20, echoesOverTheBus.get());
    } finally {
      await(overTheBus.close());
    }
  }
}
