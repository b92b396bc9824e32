package org.jwws.shared.internal;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * Where the gateway of this Vert.x instance listens, for handlers that call their own node
 * (the {@code fetch} example) on the port it really has, not a guessed one.
 */
public final class LocalGateway {

  private static final String MAP = "jw.local-gateway";
  private static final String BASE_URL = "baseUrl";

  private LocalGateway() {
  }

  /** Called by the gateway once it listens: {@code https} when it serves TLS. */
  public static void listening(Vertx vertx, String host, int port, boolean tls) {
    map(vertx).put(BASE_URL, url(host, port, tls));
  }

  /** Called by the gateway when it stops; a newer gateway's entry stays. */
  public static void stopped(Vertx vertx, String host, int port, boolean tls) {
    map(vertx).remove(BASE_URL, url(host, port, tls));
  }

  /** {@code http(s)://host:port} of this instance's gateway, or null when none listens. */
  public static String baseUrl(Vertx vertx) {
    return (String) map(vertx).get(BASE_URL);
  }

  private static String url(String host, int port, boolean tls) {
    return (tls ? "https://" : "http://") + loopbackFor(host) + ":" + port;
  }

  /** A wildcard listen address is reached on loopback; an IPv6 literal needs brackets in a URL. */
  private static String loopbackFor(String host) {
    if (host == null || host.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    if (host.equals("::")) {
      return "[::1]";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static LocalMap<String, Object> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
