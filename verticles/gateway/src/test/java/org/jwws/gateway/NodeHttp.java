package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

import static org.jwws.gateway.TestClient.await;

/** GETs on a node's HTTP routes, as a load balancer, a console or Prometheus does them. */
public final class NodeHttp {

  private NodeHttp() {
  }

  /** Status and JSON body of a GET on the gateway's port. */
  public static Future<JsonObject> get(HttpClient http, int port, String path) {
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
      .compose(request -> request.send())
      .compose(response -> response.body().compose(body -> {
        try {
          return Future.succeededFuture(new JsonObject().put("status", response.statusCode()).put("body", new JsonObject(body)));
        } catch (RuntimeException notJson) {
          // say what answered: the node's routes all answer JSON
          return Future.failedFuture(new AssertionError("GET " + path + " on port " + port + " answered " + response.statusCode()
            + " " + response.getHeader("Content-Type") + ", not JSON: " + body.toString().substring(0, Math.min(300, body.length())), notJson));
        }
      }));
  }

  /** The body of {@code /stats}. */
  public static JsonObject stats(HttpClient http, int port) {
    return await(get(http, port, "/stats")).getJsonObject("body");
  }

  /** The series of a {@code /metrics} scrape ({@code name{labels}} as printed) and their values. */
  public static Map<String, Double> metrics(HttpClient http, int port) {
    String text = await(http.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
      .compose(request -> request.send())
      .compose(response -> {
        String type = response.getHeader("Content-Type");
        if (response.statusCode() != 200 || type == null || !type.startsWith("text/plain")) {
          return Future.failedFuture("/metrics answered " + response.statusCode() + " " + type);
        }
        return response.body();
      })).toString();
    Map<String, Double> series = new HashMap<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        int space = line.lastIndexOf(' ');
        series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return series;
  }
}
