package org.jwws.node;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.NodeHttp;
import org.jwws.gateway.TestClient;
import org.jwws.handlers.BuiltinCommands;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.GatewayTestBase.waitUntil;
import static org.jwws.gateway.TestClient.await;

/**
 * conf/grafana/jw-gateway.json queries only series a running node exports: after a little traffic
 * (a request, a publication, a closed connection), every metric name of every panel is in its
 * {@code /metrics}.
 */
class GrafanaDashboardTest {

  private static final Path DASHBOARD = Path.of("../../conf/grafana/jw-gateway.json");
  /** A metric name in a PromQL expression; functions and labels have other shapes. */
  private static final Pattern METRIC = Pattern.compile("\\b((?:jw|vertx|jvm|process)_[a-z0-9_]+)\\b");

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    Set<String> queried = new TreeSet<>();
    JsonArray panels = dashboard.getJsonArray("panels");
    assertFalse(panels.isEmpty());
    for (Object panel : panels) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
        Matcher matcher = METRIC.matcher(((JsonObject) target).getString("expr"));
        while (matcher.find()) {
          queried.add(matcher.group(1));
        }
      }
    }
    assertTrue(queried.contains("jw_requests_seconds_bucket"), queried.toString());

    Vertx clients = Vertx.vertx();
    Node node = await(Node.start(new JsonObject()
      .put("gateway", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1))
      .put("handlers", new JsonArray().add(ClusterNodes.handler(BuiltinCommands.class, "builtin")))));
    try {
      int port = node.gateway().port();
      TestClient client = await(TestClient.connect(clients, port));
      assertEquals(200, await(client.request("echo", null)).getInteger("code"));
      assertEquals(200, await(client.subscribe("dashboard")).getInteger("code"));
      client.send(TestClient.pub("dashboard", 1));
      await(client.next());
      await(client.close());
      HttpClient http = clients.createHttpClient();
      // the close is counted when the server sees it, which may come after the client's close completed
      waitUntil("the connection's close is counted", () -> NodeHttp.metrics(http, port).keySet().stream()
        .anyMatch(series -> series.startsWith("jw_connections_closed_total{")));
      Map<String, Double> exported = NodeHttp.metrics(http, port);
      Set<String> missing = new TreeSet<>();
      for (String name : queried) {
        if (exported.keySet().stream().noneMatch(series -> series.equals(name) || series.startsWith(name + "{"))) {
          missing.add(name);
        }
      }
      assertEquals(Set.of(), missing, "queried by the dashboard, not exported by a node");
    } finally {
      await(node.stop());
      await(clients.close());
    }
  }
}
