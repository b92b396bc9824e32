package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
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
    return fetch(http, port, path).compose(response -> {
      Buffer body = response.body();
      try {
        return Future.succeededFuture(new JsonObject().put("status", response.statusCode()).put("body", new JsonObject(body)));
      } catch (RuntimeException notJson) {
        // say what answered: the node's routes all answer JSON
        return Future.failedFuture(new AssertionError("GET " + path + " on port " + port + " answered " + response.statusCode()
          + " " + response.getHeader("Content-Type") + " (Content-Length " + response.getHeader("Content-Length")
          + "), not JSON: " + body.toString().substring(0, Math.min(300, body.length())), notJson));
      }
    });
  }

  /**
   * A GET whose response's body is asked for before any of it can arrive. Vert.x 5's client drops
   * the body chunks that arrive before {@code body()} is called (eclipse-vertx/vert.x#5904): a
   * response handled on another thread than its connection's (a pooled connection of another
   * event loop) could lose its body. So every request has a connection of its own, made on the
   * request's context, and the body is asked for in the same callback as the response.
   */
  private static Future<Answer> fetch(HttpClient http, int port, String path) {
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
      .compose(request -> request.putHeader("Connection", "close").send()
        .compose(response -> response.body().map(body -> new Answer(response, body))));
  }

  /** A response with its whole body. */
  private record Answer(HttpClientResponse response, Buffer body) {
    int statusCode() {
      return response.statusCode();
    }

    String getHeader(String name) {
      return response.getHeader(name);
    }
  }

  /** The body of {@code /stats}. */
  public static JsonObject stats(HttpClient http, int port) {
    return await(get(http, port, "/stats")).getJsonObject("body");
  }

  /** The series of a {@code /metrics} scrape ({@code name{labels}} as printed) and their values. */
  public static Map<String, Double> metrics(HttpClient http, int port) {
    String text = await(fetch(http, port, "/metrics")
      .compose(response -> {
        String type = response.getHeader("Content-Type");
        if (response.statusCode() != 200 || type == null || !type.startsWith("text/plain")) {
          return Future.failedFuture("/metrics answered " + response.statusCode() + " " + type);
        }
        return Future.succeededFuture(response.body());
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
