package org.jwws.gateway;

import io.vertx.core.json.JsonObject;
import org.jwws.shared.CommandVerticle;

/**
 * A blocking worker command that reports every start: {@code work} publishes its request id on
 * {@link #STARTED}, then holds its thread {@code kwargs.ms}. Tests see which requests ran at all.
 */
public class WorkCommands extends CommandVerticle {

  public static final String STARTED = "test.started";

  @Override
  protected void registerCommands() {
    command("work", req -> {
      vertx.eventBus().publish(STARTED, String.valueOf(req.id()));
      Thread.sleep(req.kwargs().getLong("ms", 0L));
      req.ok(new JsonObject().put("ran", req.id()));
    });
  }

  @Override
  protected String src() {
    return "work";
  }
}
