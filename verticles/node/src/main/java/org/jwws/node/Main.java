package org.jwws.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.GatewayOptions;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Entry point of the fat jar: {@code java -jar jw-gateway.jar --help}.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    configureLogging();
    NodeArgs parsed;
    try {
      parsed = NodeArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(NodeArgs.USAGE);
      System.exit(2);
      return;
    }
    if (parsed.help) {
      System.out.println(NodeArgs.USAGE);
      return;
    }
    JsonObject config = readConfig(parsed);
    if (config == null) {
      System.exit(1);
      return;
    }
    Node node;
    try {
      node = await(Node.start(config), 120);
    } catch (Exception e) {
      Logger.getLogger(Main.class.getName()).severe("node failed to start: " + e);
      System.exit(1);
      return;
    }
    // close Vert.x (and so leave the cluster) before the JVM stops: a rolling restart then
    // loses nothing, other nodes stop routing here at once
    long graceMs = NodeConfig.gateway(config).getLong("shutdownGraceMs", GatewayOptions.DEFAULT_SHUTDOWN_GRACE_MS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        // the gateway's drain, then leaving the cluster
        await(node.stop(), (graceMs + 999) / 1000 + 10);
      } catch (Exception e) {
        System.err.println("node did not stop cleanly: " + e);
      }
    }, "jw-gateway-shutdown"));
    Logger.getLogger(Main.class.getName()).info(node.gateway() == null
      ? "node ready (no gateway)" + (config.getBoolean("cluster", false) ? ", clustered" : "")
      : "node ready on ws://" + NodeConfig.gateway(config).getString("host", "0.0.0.0") + ":" + node.gateway().port()
        + NodeConfig.gateway(config).getString("wsPath", "/ws") + (config.getBoolean("cluster", false) ? ", clustered" : ""));
  }

  /** The config, or null after saying what is wrong with it; read on a Vert.x of its own, the node's is built from it. */
  private static JsonObject readConfig(NodeArgs args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return await(NodeConfig.read(vertx, args), 60);
    } catch (ExecutionException e) {
      System.err.println("bad node config: " + e.getCause().getMessage());
      return null;
    } finally {
      // closed from this thread: listeners on its own contexts would never run once it is closed
      await(vertx.close(), 30);
    }
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  /** conf/logging.properties when present, else the one packed in the jar. */
  private static void configureLogging() throws Exception {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    Path local = Path.of("conf/logging.properties");
    try (InputStream in = Files.isRegularFile(local) ? Files.newInputStream(local)
      : Main.class.getClassLoader().getResourceAsStream("logging.properties")) {
      if (in != null) {
        LogManager.getLogManager().readConfiguration(in);
      }
    }
  }
}
