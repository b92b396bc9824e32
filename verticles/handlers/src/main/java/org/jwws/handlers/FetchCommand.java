package org.jwws.handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.jwws.shared.CommandException;
import org.jwws.shared.CommandRequest;
import org.jwws.shared.CommandVerticle;
import org.jwws.shared.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fetch}: non-blocking I/O the Vert.x way (the seed did this with aiohttp): a GET of
 * {@code kwargs.path} on the one HTTP service named by the config key {@code baseUrl}, answered
 * with its status and body. Clients choose the path only, never the host.
 */
public class FetchCommand extends CommandVerticle {

  public static final String DEFAULT_BASE_URL = "http://127.0.0.1:8080";
  static final int MAX_BODY_CHARS = 16 * 1024;

  private static final Logger log = LoggerFactory.getLogger(FetchCommand.class);

  private WebClient client;
  private String baseUrl;

  @Override
  public Future<?> start() throws Exception {
    baseUrl = config().getString("baseUrl", DEFAULT_BASE_URL).replaceAll("/+$", "");
    client = WebClient.create(vertx, new WebClientOptions()
      .setConnectTimeout(2_000)
      .setIdleTimeout(10));
    return super.start();
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
    Object value = req.kwargs().getValue("path", "/");
    if (!(value instanceof String)) {
      throw new CommandException(Status.BAD_REQUEST, "kwargs.path must be a string");
    }
    String path = (String) value;
    if (!path.startsWith("/") || path.contains("..") || path.contains("@") || path.length() > 500) {
      throw new CommandException(Status.BAD_REQUEST, "kwargs.path must be an absolute path on the configured service");
    }
    client.getAbs(baseUrl + path).timeout(5_000).send()
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
