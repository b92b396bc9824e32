package org.jwws.node;

import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.jwws.gateway.GatewayOptions;
import org.jwws.gateway.HistoryRule;
import org.jwws.node.bridge.BridgeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node config as vertx-config reads it: the file (or the packed defaults), then the
 * JWGW_* variables, then the flags, on real files in a temporary working directory.
 */
@ExtendWith(VertxExtension.class)
class NodeConfigTest {

  @TempDir
  Path workDir;

  /** Variables as vertx-config's env store hands them over (raw-data): a JSON object of text. */
  private static ConfigStoreOptions env(Map<String, String> vars) {
    return new ConfigStoreOptions().setType("json").setFormat(EnvFormat.NAME).setConfig(new JsonObject(new HashMap<>(vars)));
  }

  private Future<JsonObject> read(Vertx vertx, Map<String, String> vars, String... flags) {
    return NodeConfig.read(vertx, NodeArgs.parse(flags), env(vars), workDir);
  }

  private Path write(String file, String content) throws IOException {
    Path path = workDir.resolve(file);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, content);
  }

  private static JsonObject handler(String className) {
    return new JsonObject().put("class", className);
  }

  @Test
  void environmentVariablesOfEveryTypeReachTheOptions(Vertx vertx, VertxTestContext ctx) {
    read(vertx, Map.of(
      "JWGW_PORT", "8081",
      "JWGW_REQUEST_TIMEOUT_MS", "5000",
      "JWGW_ALLOWED_ORIGINS", "https://a.example, https://b.example",
      "JWGW_DROP_OLDEST_TOPICS", "[\"prices.*\"]",
      "JWGW_ENABLED", "false",
      "JWGW_CLUSTER", "true",
      "PATH", "/usr/bin"))
      .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
        GatewayOptions options = new GatewayOptions(NodeConfig.gateway(config));
        assertEquals(8081, options.getPort());
        assertEquals(5000, options.getRequestTimeoutMs());
        assertEquals(new JsonArray().add("https://a.example").add("https://b.example"), new JsonArray(options.getAllowedOrigins()));
        assertEquals(new JsonArray().add("prices.*"), new JsonArray(options.getDropOldestTopics()));
        assertFalse(NodeConfig.gateway(config).getBoolean("enabled"));
        assertEquals(true, config.getBoolean("cluster"));
        assertFalse(config.containsKey("PATH"));
        ctx.completeNow();
      })));
  }

  @Test
  void theFileThenTheEnvironmentThenTheFlags(Vertx vertx, VertxTestContext ctx) throws IOException {
    write(NodeConfig.DEFAULT_FILE, new JsonObject()
      .put("clusterName", "file").put("clusterHost", "10.0.0.1")
      .put("gateway", new JsonObject().put("host", "10.0.0.2").put("port", 1111).put("wsPath", "/file").put("requestTimeoutMs", 1000))
      .put("handlers", new JsonArray().add(handler("A")))
      .encode());
    read(vertx, Map.of("JWGW_PORT", "2222", "JWGW_WS_PATH", "/env", "JWGW_CLUSTER_NAME", "env"),
      "--port", "3333", "--handler", "B:event-loop:2")
      .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
        assertEquals(new JsonObject()
          .put("clusterName", "env").put("clusterHost", "10.0.0.1")
          // the flag's port over the variable's over the file's; the rest of the file's gateway kept
          .put("gateway", new JsonObject().put("host", "10.0.0.2").put("port", 3333).put("wsPath", "/env").put("requestTimeoutMs", 1000))
          // --handler adds to the file's list
          .put("handlers", new JsonArray().add(handler("A"))
            .add(new JsonObject().put("class", "B").put("worker", false).put("instances", 2))), config);
        ctx.completeNow();
      })));
  }

  @Test
  void objectsMergeKeyByKeyAtEveryDepthListsAreReplaced(Vertx vertx, VertxTestContext ctx) throws IOException {
    write(NodeConfig.DEFAULT_FILE, new JsonObject()
      .put("gateway", new JsonObject()
        .put("port", 1111)
        .put("commandTimeoutsMs", new JsonObject().put("a", 1).put("b", 2))
        .put("allowedOrigins", new JsonArray().add("https://file.example")))
      .encode());
    read(vertx, Map.of("JWGW_COMMAND_TIMEOUTS_MS", "{\"b\":3}", "JWGW_ALLOWED_ORIGINS", "https://env.example"), "--no-gateway")
      .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
        assertEquals(new JsonObject()
          .put("port", 1111)
          .put("commandTimeoutsMs", new JsonObject().put("a", 1).put("b", 3))
          .put("allowedOrigins", new JsonArray().add("https://env.example"))
          .put("enabled", false), NodeConfig.gateway(config));
        ctx.completeNow();
      })));
  }

  @Test
  void thePackedDefaultsWhenThereIsNoConfNodeJson(Vertx vertx, VertxTestContext ctx) throws IOException {
    JsonObject packed;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(NodeConfig.DEFAULT_RESOURCE)) {
      packed = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertTrue(NodeConfig.handlers(packed).size() > 0, "the packed defaults name handlers");
    read(vertx, Map.of()).onComplete(ctx.succeeding(config -> ctx.verify(() -> {
      assertEquals(packed, config);
      ctx.completeNow();
    })));
  }

  @Test
  void confNamesTheFileInsteadOfConfNodeJson(Vertx vertx, VertxTestContext ctx) throws IOException {
    write(NodeConfig.DEFAULT_FILE, new JsonObject().put("clusterName", "local").encode());
    Path named = write("elsewhere/node.json", new JsonObject().put("gateway", new JsonObject().put("port", 4444)).encode());
    read(vertx, Map.of(), "--conf", named.toString()).onComplete(ctx.succeeding(config -> ctx.verify(() -> {
      assertEquals(new JsonObject().put("gateway", new JsonObject().put("port", 4444)), config);
      ctx.completeNow();
    })));
  }

  @Test
  void handlerFlagsAfterNoHandlersAreTheOnlyHandlers(Vertx vertx, VertxTestContext ctx) throws IOException {
    write(NodeConfig.DEFAULT_FILE, new JsonObject().put("handlers", new JsonArray().add(handler("A"))).encode());
    read(vertx, Map.of(), "--handler", "B", "--no-handlers", "--handler", "C:1").onComplete(ctx.succeeding(config -> ctx.verify(() -> {
      assertEquals(new JsonArray().add(new JsonObject().put("class", "C").put("worker", true).put("instances", 1)), NodeConfig.handlers(config));
      assertFalse(config.containsKey(NodeArgs.ADDED_HANDLERS));
      ctx.completeNow();
    })));
  }

  @Test
  void aMissingConfFileIsOneClearError(Vertx vertx, VertxTestContext ctx) {
    String missing = workDir.resolve("missing.json").toString();
    read(vertx, Map.of(), "--conf", missing).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertEquals("--conf " + missing + ": no such file", err.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void aConfFileThatIsNotJsonIsNamed(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path broken = write(NodeConfig.DEFAULT_FILE, "{\"gateway\": ");
    read(vertx, Map.of()).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertTrue(err.getMessage().startsWith(broken + " is not a JSON object"), err.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void aBadVariableIsAnErrorNamingIt(Vertx vertx, VertxTestContext ctx) {
    Map<String, String> messages = Map.of(
      "JWGW_PORT", "JWGW_PORT has a bad value: eighty (a whole number)",
      "JWGW_CLUSTER", "JWGW_CLUSTER has a bad value: eighty (true or false)",
      "JWGW_COMMAND_TIMEOUTS_MS", "JWGW_COMMAND_TIMEOUTS_MS has a bad value: eighty (a JSON object)");
    Map<String, Future<JsonObject>> reads = new HashMap<>();
    messages.keySet().forEach(variable -> reads.put(variable, read(vertx, Map.of(variable, "eighty"))));
    Future.join(List.copyOf(reads.values())).onComplete(all -> ctx.verify(() -> {
      reads.forEach((variable, read) -> {
        assertInstanceOf(IllegalArgumentException.class, read.cause(), variable);
        assertEquals(messages.get(variable), read.cause().getMessage());
      });
      ctx.completeNow();
    }));
  }

  @Test
  void topLevelKeysAreThoseOfNodeOptions() {
    assertEquals(new JsonObject()
        .put("metrics", true).put("eventLoops", 3).put("clusterConfig", "/etc/cluster.xml")
        // a gateway key wins over a whole gateway object
        .put("gateway", new JsonObject().put("port", 2).put("src", "env").put("host", "10.0.0.1")),
      EnvVariables.toConfig(Map.of(
        "JWGW_METRICS", "TRUE",
        "JWGW_EVENT_LOOPS", "3",
        "JWGW_CLUSTER_CONFIG", "/etc/cluster.xml",
        "JWGW_GATEWAY", "{\"port\": 1, \"src\": \"env\"}",
        "JWGW_PORT", "2",
        "JWGW_HOST", "10.0.0.1",
        "JWGW_UNKNOWN_KEY", "ignored")));
    // the handlers are objects: no comma-separated list of them
    IllegalArgumentException err = assertThrows(IllegalArgumentException.class,
      () -> EnvVariables.toConfig(Map.of("JWGW_HANDLERS", "A,B")));
    assertEquals("JWGW_HANDLERS has a bad value: A,B (a JSON array)", err.getMessage());
  }

  @Test
  void variablesNeedNoKeyInTheFile(Vertx vertx, VertxTestContext ctx) throws IOException {
    // the file holds no top-level key: the variables' keys and types are NodeOptions'
    write(NodeConfig.DEFAULT_FILE, "{}");
    read(vertx, Map.of("JWGW_CLUSTER_NAME", "env", "JWGW_EVENT_LOOPS", "2", "JWGW_METRICS_DISABLED", "eventbus,pool",
      "JWGW_EVENT_BUS_TLS", "{\"certPath\": \"c.pem\", \"keyPath\": \"k.pem\", \"trustCertPath\": \"t.pem\"}"))
      .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
        NodeOptions options = new NodeOptions(config);
        assertEquals("env", options.getClusterName());
        assertEquals(2, options.getEventLoops());
        assertEquals(List.of("eventbus", "pool"), options.getMetricsDisabled());
        assertEquals("t.pem", options.getEventBusTls().trustCertPath());
        assertFalse(config.containsKey("gateway"), "none of them is a gateway key");
        ctx.completeNow();
      })));
  }

  @Test
  void historyIsOneJsonValueAndPresenceAListOfGlobs() {
    JsonObject config = EnvVariables.toConfig(Map.of(
      "JWGW_HISTORY", "[{\"topics\": \"chat.*\", \"size\": 50, \"ttlMs\": 1000}, {\"topics\": \"*\"}]",
      "JWGW_PRESENCE", "room.*, lobby"));
    GatewayOptions options = new GatewayOptions(NodeConfig.gateway(config));
    assertEquals(2, options.getHistory().size());
    assertEquals(50, options.getHistory().get(0).size());
    assertEquals(1000, options.getHistory().get(0).ttlMs());
    assertEquals(HistoryRule.DEFAULT_SIZE, options.getHistory().get(1).size());
    assertEquals(List.of("room.*", "lobby"), options.getPresence());
    IllegalArgumentException err = assertThrows(IllegalArgumentException.class,
      () -> EnvVariables.toConfig(Map.of("JWGW_HISTORY", "chat.*")));
    assertEquals("JWGW_HISTORY has a bad value: chat.* (a JSON array)", err.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new GatewayOptions(new JsonObject()
      .put("history", new JsonArray().add(new JsonObject().put("topics", "x").put("size", 0)))));
  }

  @Test
  void theBridgeIsOffByDefaultAndOnWithAnObjectOrTheFlag(Vertx vertx, VertxTestContext ctx) {
    Future<JsonObject> defaults = read(vertx, Map.of());
    Future<JsonObject> env = read(vertx, Map.of("JWGW_BRIDGE", "{\"port\": 7001, \"commands\": [\"add_*\"]}"));
    Future<JsonObject> flag = read(vertx, Map.of("JWGW_BRIDGE", "{\"port\": 7001, \"enabled\": false}"), "--bridge-port", "0");
    Future<JsonObject> bad = read(vertx, Map.of("JWGW_BRIDGE", "7001"));
    Future.join(defaults, env, flag, bad).onComplete(all -> ctx.verify(() -> {
      assertFalse(BridgeOptions.enabled(defaults.result()));
      assertTrue(BridgeOptions.enabled(env.result()));
      BridgeOptions fromEnv = new BridgeOptions(env.result().getJsonObject("bridge"));
      assertEquals(7001, fromEnv.port());
      assertEquals(BridgeOptions.DEFAULT_HOST, fromEnv.host());
      // the flag turns it on whatever the environment said, and keeps its other keys
      assertTrue(BridgeOptions.enabled(flag.result()));
      assertEquals(0, new BridgeOptions(flag.result().getJsonObject("bridge")).port());
      assertEquals("JWGW_BRIDGE has a bad value: 7001 (a JSON object)", bad.cause().getMessage());
      IllegalArgumentException tls = assertThrows(IllegalArgumentException.class,
        () -> new BridgeOptions(new JsonObject().put("tlsCertPath", "cert.pem")));
      assertEquals("bridge.tlsCertPath and bridge.tlsKeyPath go together", tls.getMessage());
      ctx.completeNow();
    }));
  }
}
