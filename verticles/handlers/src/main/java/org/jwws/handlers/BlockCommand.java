package org.jwws.handlers;

import io.vertx.core.json.JsonObject;
import org.jwws.shared.CommandVerticle;

/**
 * {@code block}: holds its worker thread for {@code kwargs.ms}, like a handler calling a slow
 * blocking library. Deployed as a worker it stalls nobody else; it shows why handlers are
 * workers by default.
 */
public class BlockCommand extends CommandVerticle {

  static final long MAX_BLOCK_MS = 30_000;

  @Override
  protected void registerCommands() {
    command("block", req -> {
      long ms = BuiltinCommands.within(req.longInteger("ms", 0), "ms", 0, MAX_BLOCK_MS);
      Thread.sleep(ms);
      req.ok(new JsonObject().put("blocked_ms", ms).put("thread", Thread.currentThread().getName()));
    });
  }

  @Override
  protected String src() {
    return config().getString("src", "block");
  }
}
