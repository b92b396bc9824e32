package org.jwws.handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.jwws.shared.CommandException;
import org.jwws.shared.CommandRequest;
import org.jwws.shared.CommandVerticle;
import org.jwws.shared.Status;
import org.jwws.shared.internal.LocalGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fetch}: non-blocking I/O the Vert.x way (the seed did this with aiohttp): a GET of
 * {@code kwargs.path} on one HTTP service, answered with its status and body. Clients choose the
 * path only, never the host. The service is the config key {@code baseUrl} when set, else this
 * node's own gateway on the port it really listens on ({@link LocalGateway}), never a guessed
 * port some other program may own. Not deployed by default: list it in the node's
 * {@code handlers} to offer it.
 */
public class FetchCommand extends CommandVerticle {

  static final int MAX_BODY_CHARS = 16 * 1024;

  private static final Logger log = LoggerFactory.getLogger(FetchCommand.class);

  private WebClient client;
  /** The configured service, or null: this node's gateway. */
  private String baseUrl;

  @Override
  protected Future<?> setUp() {
    String configured = config().getString("baseUrl");
    baseUrl = configured == null ? null : configured.replaceAll("/+$", "");
    WebClientOptions options = new WebClientOptions().setConnectTimeout(2_000).setIdleTimeout(10);
    if (baseUrl == null) {
      // the node calling its own port on loopback: its wss:// certificate names the public host
      options.setTrustAll(true).setVerifyHost(false);
    }
    client = WebClient.create(vertx, options);
    return Future.succeededFuture();
  }

  @Override
  protected void registerCommands() {
    command("fetch", this::fetch);
  }

  @Override
  protected String src() {
    return config().getString("src", "fetch");
  }

  private void fetch(CommandRequest req) {
    String path = req.string("path", "/");
    if (!path.startsWith("/") || path.contains("..") || path.contains("@") || path.length() > 500) {
      throw new CommandException(Status.BAD_REQUEST, "kwarg \"path\" must be an absolute path on the configured service");
    }
    String base = baseUrl != null ? baseUrl : LocalGateway.baseUrl(vertx);
    if (base == null) {
      throw new CommandException(Status.UNAVAILABLE, "no baseUrl configured and no gateway on this node");
    }
    client.getAbs(base + path).timeout(5_000).send()
      .onSuccess(response -> {
        String body = response.bodyAsString();
        if (body != null && body.length() > MAX_BODY_CHARS) {
          body = body.substring(0, MAX_BODY_CHARS);
        }
        req.ok(new JsonObject().put("status", response.statusCode()).put("body", body));
      })
      .onFailure(err -> {
        log.debug("fetch {} failed: {}", path, err.toString());
        req.fail(Status.UNAVAILABLE, "the service behind fetch is unavailable");
      });
  }
}
