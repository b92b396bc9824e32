package org.jwws.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.jwws.handlers.BlockCommand;
import org.jwws.handlers.BuiltinCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.jwws.gateway.TestClient.await;

/**
 * A single gateway node on a free port with two event loops (so fan-out crosses threads), the
 * built-in commands on an event loop and {@code block} on a worker.
 */
@ExtendWith(VertxExtension.class)
public abstract class GatewayTestBase {

  protected Vertx vertx;
  protected Gateway gateway;
  /** The built-in commands' one instance, e.g. to see what it still holds. */
  protected BuiltinCommands builtins;
  private final List<TestClient> clients = new ArrayList<>();

  protected GatewayOptions options() {
    // tests publish thousands of frames on purpose: the per-connection rate is tested on its own
    return new GatewayOptions().setHost("127.0.0.1").setPort(0).setInstances(2)
      .setPublishRate(1_000_000).setPublishBurst(1_000_000);
  }

  @BeforeEach
  void startNode(Vertx vertx) {
    this.vertx = vertx;
    gateway = await(Gateway.deploy(vertx, options()));
    builtins = new BuiltinCommands();
    await(vertx.deployVerticle(builtins));
    await(vertx.deployVerticle(new BlockCommand(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
  }

  @AfterEach
  void stopNode() {
    // clients first: a gateway closing under open requests would wait out its grace period
    await(Future.join(clients.stream().map(TestClient::close).collect(Collectors.toList())).otherwiseEmpty());
    await(gateway.close());
  }

  protected TestClient client() {
    TestClient client = await(TestClient.connect(vertx, gateway.port()));
    clients.add(client);
    return client;
  }

  /** Polls settled state (no sleeping on the event loop), failing after {@link TestClient#AWAIT_SECONDS}. */
  public static void waitUntil(String what, BooleanSupplier condition) {
    waitUntil(what, TestClient.AWAIT_SECONDS, condition);
  }

  public static void waitUntil(String what, long seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
  }
}
