package org.jwws.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fat jar reads conf/node.json, the real process environment (vertx-config's env store and
 * our format, found through META-INF/services) and its flags, in that order.
 */
class ConfigIT {

  private NodeProcess node;

  @AfterEach
  void stop() throws InterruptedException {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theFileThenTheEnvironmentThenTheFlags() throws Exception {
    String conf = new JsonObject()
      .put("gateway", new JsonObject().put("host", "127.0.0.1").put("port", 1).put("wsPath", "/from-file"))
      .put("handlers", new JsonArray())
      .encode();
    node = NodeProcess.start(Map.of("JWGW_PORT", "2", "JWGW_WS_PATH", "/from-env"), conf, "--port", "0");
    int port = node.awaitReady();
    // the host of the file, the path of the environment, the port of the flag (0: a free one)
    assertTrue(port > 0);
    assertTrue(node.output().contains("node ready on ws://127.0.0.1:" + port + "/from-env"), node.output());
    node.terminate();
  }

  @Test
  void aBadVariableStopsTheNodeWithOneMessage() throws Exception {
    node = NodeProcess.start(Map.of("JWGW_PORT", "eighty"), null);
    assertEquals(1, node.awaitExit(), node.output());
    assertEquals("bad node config: JWGW_PORT has a bad value: eighty (a whole number)", node.output());
  }

  @Test
  void aValueOutOfRangeStopsTheNodeWithOneMessageNamingTheKey() throws Exception {
    node = NodeProcess.start(Map.of("JWGW_PORT", "70000"), null);
    assertEquals(1, node.awaitExit(), node.output());
    assertEquals("bad node config: gateway.port must be within [0, 65535]: 70000", node.output());
  }

  @Test
  void aMissingConfFileStopsTheNodeWithOneMessage() throws Exception {
    node = NodeProcess.start(Map.of(), null, "--conf", "missing.json");
    assertEquals(1, node.awaitExit(), node.output());
    assertEquals("bad node config: --conf missing.json: no such file", node.output());
  }
}
