package org.jwws.gateway;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the gateway: an HTTP server (the instances of a node share its
 * port) whose router upgrades {@code wsPath} to WebSocket connections.
 */
final class GatewayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);

  private static final long STATS_TIMEOUT_MS = 2_000;

  private final GatewayNode node;
  private final int port;
  private HttpServer server;

  GatewayVerticle(GatewayNode node, int port) {
    this.node = node;
    this.port = port;
  }

  int actualPort() {
    return server.actualPort();
  }


  @Override
  public Future<?> start() {
    GatewayOptions options = node.options();
    Router router = Router.router(vertx);
    router.get(options.getWsPath()).handler(this::upgrade);
    // statistics and metrics: as the access config says (a valid token when keys are set, a
    // monitor rule when rules are set)
    router.get("/stats").handler(this::monitorOnly).handler(this::stats);
    router.get("/metrics").handler(this::monitorOnly).handler(PrometheusScrapingHandler.create(node.metrics().registry()));
    // live: the process serves HTTP; ready: every readiness procedure says UP (else 503)
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(node.health()));
    // the console (/), the chat example (/chat.html) and the JS client they use (/jw-gateway.js)
    router.get().handler(StaticHandler.create("webroot"));
    // a route whose handler threw (not a refusal): the client sees only a status, the log says why
    router.route().failureHandler(ctx -> {
      if (ctx.failure() != null) {
        log.warn("HTTP {} {} failed ({})", ctx.request().method(), ctx.normalizedPath(), ctx.statusCode(), ctx.failure());
      }
      ctx.next();
    });
    HttpServerOptions serverOptions = new HttpServerOptions()
      .setHost(options.getHost())
      // every HTTP response is written from the connection's event loop: Vert.x then keeps no
      // outbound queue per HTTP connection (about 4 KB each, still held while it is a WebSocket)
      .setStrictThreadMode(true)
      // frames over the limit are refused by the decoder before they are buffered; messages
      // are assembled (and limited) by the connection itself
      .setMaxWebSocketFrameSize(options.getMaxFrameSize())
      .setMaxWebSocketMessageSize(options.getMaxFrameSize())
      // a connection whose writes have not completed for this long (a peer that stopped
      // reading: its close frame cannot get through either) is closed by the socket; healthy
      // ones complete a write at least every ping interval
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      .setWriteIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.getPingIntervalMs() + options.getPongTimeoutMs()));
    if (options.getTlsCertPath() != null) {
      serverOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(options.getTlsCertPath())
        .setKeyPath(options.getTlsKeyPath()));
    }
    return vertx.createHttpServer(serverOptions)
      .requestHandler(router)
      // the port as given, not through the options: they refuse the negative shared random port
      .listen(port, options.getHost())
      .onSuccess(listening -> server = listening);
  }

  /** 401 without a valid token (when tokens are configured), 403 without the monitor permission. */
  private void monitorOnly(RoutingContext ctx) {
    node.access().authenticate(ctx.request()).onComplete(auth -> {
      if (auth.failed()) {
        unauthorized(ctx);
      } else if (!auth.result().mayMonitor()) {
        ctx.response().setStatusCode(403).end("forbidden");
      } else {
        ctx.next();
      }
    });
  }

  /** This node's report and every node's, as the cluster sees them now. */
  private void stats(RoutingContext ctx) {
    // a cluster map that does not answer (a partition) must not pile requests up
    node.clusterReports().timeout(STATS_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(cluster -> {
      JsonObject body = new JsonObject().put("node", node.report());
      if (cluster.succeeded()) {
        body.put("cluster", cluster.result());
      } else {
        body.put("cluster", null).put("clusterError", String.valueOf(cluster.cause().getMessage()));
      }
      ctx.json(body);
    });
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end("unauthorized");
  }

  /**
   * Call it before anything is written to the new WebSocket, on its event loop.
   *
   * @return whether both tunings are in place (false under a Vert.x that hides the channel or
   *         the outbound queue)
   */
  static boolean tune(HttpConnection upgraded) {
    Channel channel = NettyChannels.of(upgraded);
    if (channel == null) {
      return false;
    }
    FlushCoalescing.install(channel.pipeline());
    return DirectWriteQueue.install(channel.pipeline());
  }

  /** Refusals happen before the handshake, as HTTP statuses; then the upgrade. */
  private void upgrade(RoutingContext ctx) {
    if (node.stopping()) {
      ctx.response().setStatusCode(503).end("node is shutting down");
      return;
    }
    if (!node.access().originAllowed(ctx.request().getHeader(HttpHeaders.ORIGIN), ctx.request().getHeader(HttpHeaders.HOST))) {
      ctx.response().setStatusCode(403).end("origin not allowed");
      return;
    }
    // authentication may take a moment: the request must still be readable afterwards
    ctx.request().pause();
    node.access().authenticate(ctx.request()).onComplete(auth -> {
      if (auth.failed()) {
        unauthorized(ctx);
        return;
      }
      if (!node.connections().admit()) {
        ctx.response().setStatusCode(503).end("node is at its connection limit");
        return;
      }
      ctx.request().toWebSocket().onComplete(ar -> {
        if (ar.succeeded()) {
          tune(ctx.request().connection());
          node.connect(ar.result(), vertx.getOrCreateContext(), auth.result());
          return;
        }
        node.connections().release();
        if (!ctx.response().ended()) {
          ctx.response().setStatusCode(400).end("WebSocket upgrade expected");
        }
      });
    });
  }
}
