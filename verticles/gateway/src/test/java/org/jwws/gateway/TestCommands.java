package org.jwws.gateway;

import io.vertx.core.json.JsonObject;
import org.jwws.shared.CommandException;
import org.jwws.shared.CommandRequest;
import org.jwws.shared.CommandVerticle;

/**
 * Commands that exercise the failure and end paths. {@code never} (timeout shortened by the
 * tests), {@code hang} (default timeout) and {@code stream} (intermediate responses, never a
 * final one) report, on {@link #ENDED}, why their request ended.
 */
public class TestCommands extends CommandVerticle {

  /** Receives {@code {"id": ..., "reason": ...}} when a {@code never} request ends. */
  public static final String ENDED = "test.ended";

  @Override
  protected void registerCommands() {
    command("fail_with", req -> {
      throw new CommandException(req.kwargs().getInteger("code"), req.kwargs().getString("msg"));
    });
    command("crash", req -> {
      throw new IllegalStateException("bug in handler");
    });
    command("never", this::neverAnswer);
    command("hang", this::neverAnswer);
    command("whoami", req -> req.ok(new JsonObject().put("connection", req.connection())));
    command("stream", this::stream);
    command("reuse", this::reuse);
    // no JSON value: a plain object at the top, or one inside an object
    command("bad_data", req -> req.ok(req.kwargs().getBoolean("nested", false)
      ? new JsonObject().put("inner", new Object()) : new Object()));
  }

  /** One data object for a progress and the answer, changed right after each: what a careless handler does. */
  private void reuse(CommandRequest req) {
    JsonObject data = new JsonObject().put("step", 1);
    req.progress(data);
    data.put("step", 2);
    req.reply(200, "ok", data);
    data.put("step", 3).put("after", "the answer");
  }

  /** Intermediate responses of {@code kwargs.pad} characters every millisecond until the request ends. */
  private void stream(CommandRequest req) {
    String pad = "x".repeat(req.kwargs().getInteger("pad", 100));
    long timer = vertx.setPeriodic(1, id -> req.progress(new JsonObject().put("pad", pad)));
    req.endHandler(reason -> {
      vertx.cancelTimer(timer);
      vertx.eventBus().publish(ENDED, new JsonObject().put("id", req.id()).put("reason", reason.name()));
    });
  }

  private void neverAnswer(CommandRequest req) {
    req.endHandler(reason -> vertx.eventBus().publish(ENDED, new JsonObject().put("id", req.id()).put("reason", reason.name())));
  }

  @Override
  protected String src() {
    return "test";
  }
}
