package org.jwws.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jwws.gateway.GatewayOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of the fat jar: {@code java -jar jw-gateway.jar --help}.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    NodeArgs parsed;
    try {
      Logging.configure(System.getenv());
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
    // not a static field: the logger must come after Logging.configure
    Logger log = LoggerFactory.getLogger(Main.class);
    NodeOptions options = readConfig(parsed);
    if (options == null) {
      System.exit(1);
      return;
    }
    Node node;
    try {
      node = await(Node.start(options), 120);
    } catch (Exception e) {
      log.error("node failed to start: {}", e.toString());
      System.exit(1);
      return;
    }
    // close Vert.x (and so leave the cluster) before the JVM stops: a rolling restart then
    // loses nothing, other nodes stop routing here at once
    GatewayOptions gateway = options.getGateway();
    long graceMs = gateway.getShutdownGraceMs();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        // the gateway's drain, then leaving the cluster
        await(node.stop(), (graceMs + 999) / 1000 + 10);
      } catch (Exception e) {
        log.error("node did not stop cleanly: {}", e.toString());
      }
    }, "jw-gateway-shutdown"));
    String clustered = options.isCluster() ? ", clustered" : "";
    log.info(node.gateway() == null
      ? "node ready (no gateway)" + clustered
      : "node ready on ws://" + gateway.getHost() + ":" + node.gateway().port() + gateway.getWsPath() + clustered);
  }

  /** The config, or null after saying what is wrong with it; read on a Vert.x of its own, the node's is built from it. */
  private static NodeOptions readConfig(NodeArgs args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return new NodeOptions(await(NodeConfig.read(vertx, args), 60));
    } catch (ExecutionException e) {
      System.err.println("bad node config: " + e.getCause().getMessage());
      return null;
    } catch (IllegalArgumentException e) {
      System.err.println("bad node config: " + e.getMessage());
      return null;
    } finally {
      // closed from this thread: listeners on its own contexts would never run once it is closed
      await(vertx.close(), 30);
    }
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
