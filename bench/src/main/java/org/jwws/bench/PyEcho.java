package org.jwws.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pyecho setup: a gateway node with the bridge on and no Java handler at all, and Python
 * processes (python3 from PATH running clients/python/examples/echo.py with jwgw) serving
 * {@code echo} through its bridge, so every {@code echo} is answered in Python.
 */
final class PyEcho implements AutoCloseable {

  private static final Pattern BRIDGE = Pattern.compile("bridge listening on [^:]+:(\\d+)");
  /** Printed once its commands are registered; the port is the bridge's. */
  private static final Pattern PYTHON_READY = Pattern.compile("jwgw ready: .* on [^:]+:(\\d+)");

  private final ServerProcess node;
  private final String bridge;
  private final Path script;
  private final List<ServerProcess> pythons = new ArrayList<>();

  private PyEcho(ServerProcess node, String bridge, Path script) {
    this.node = node;
    this.bridge = bridge;
    this.script = script;
  }

  /** Fails with what to do when python3 or the example is missing. */
  static Path script(Path pythonClientDir) throws Exception {
    Path script = pythonClientDir.resolve("examples").resolve("echo.py").toAbsolutePath();
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("Python echo handler not found: " + script
        + " (run the bench from the repository root, or pass --python-client DIR)");
    }
    Process version = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
    if (!version.waitFor(30, TimeUnit.SECONDS) || version.exitValue() != 0) {
      version.destroyForcibly();
      throw new IllegalStateException("python3 --version failed: pyecho needs python3 (3.11+) on PATH");
    }
    return script;
  }

  /**
   * The node with the bridge on a free port and one Python process serving echo; checks that
   * echo has no handler before it and is answered from Python after.
   */
  static PyEcho start(Vertx vertx, Path gatewayJar, Path script) throws Exception {
    ServerProcess node = Bench.startNode(gatewayJar, "pyecho-node", null, Map.of(), List.of("--bridge-port", "0"));
    try {
      Matcher port = node.printedWhileStarting(BRIDGE)
        .orElseThrow(() -> new IllegalStateException("the node did not say its bridge port; see " + node.log()));
      String unserved = echoOnce(vertx, node.port());
      if (Frames.number(unserved, "\"code\":", 0) != 404) {
        throw new IllegalStateException("echo is served without Python (a Java handler?): " + unserved);
      }
      PyEcho setup = new PyEcho(node, "127.0.0.1:" + port.group(1), script);
      setup.serveWith(1);
      String served = echoOnce(vertx, node.port());
      if (!served.contains("\"src\":\"python\"") || Frames.number(served, "\"code\":", 0) != 200) {
        throw new IllegalStateException("echo not answered by the Python handler: " + served);
      }
      return setup;
    } catch (Exception | Error e) {
      node.close();
      throw e;
    }
  }

  /** Starts or stops Python processes until {@code count} serve echo (the event bus shares it round-robin). */
  void serveWith(int count) throws Exception {
    while (pythons.size() < count) {
      pythons.add(ServerProcess.startCommand("python-" + (pythons.size() + 1),
        List.of("python3", script.toString(), "--bridge", bridge), Map.of(), PYTHON_READY));
    }
    while (pythons.size() > count) {
      // SIGTERM: it unregisters echo before it goes
      pythons.remove(pythons.size() - 1).close();
    }
  }

  /** One echo request on a connection of its own: the response frame. */
  private static String echoOnce(Vertx vertx, int port) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      WebSocket ws = Fanout.await(client.connect(port, "127.0.0.1", "/ws"));
      Promise<String> response = Promise.promise();
      ws.textMessageHandler(response::tryComplete);
      ws.writeTextMessage("{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"echo\",\"id\":1,\"args\":[\"probe\"]}");
      return Fanout.await(response.future());
    } finally {
      Fanout.await(client.close());
    }
  }

  int port() {
    return node.port();
  }

  int processes() {
    return pythons.size();
  }

  /** The node and the Python processes: together they are the server. */
  List<ServerProcess> servers() {
    List<ServerProcess> all = new ArrayList<>(List.of(node));
    all.addAll(pythons);
    return all;
  }

  /** The Python processes first (each stops on its own, or is killed), then the node. */
  @Override
  public void close() throws Exception {
    try {
      serveWith(0);
    } finally {
      node.close();
    }
  }
}
