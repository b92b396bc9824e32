package org.jwws.handlers;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Arguments;
import org.jwws.shared.CommandException;
import org.jwws.shared.CommandRequest;
import org.jwws.shared.CommandVerticle;
import org.jwws.shared.Status;

/**
 * The commands every node serves for clients to try and for tests and benchmarks: {@code web},
 * {@code echo}, {@code sleep}, {@code progress} and {@code dialogue}. None of them blocks, so
 * this verticle can run on an event loop.
 */
public class BuiltinCommands extends CommandVerticle {

  static final long MAX_SLEEP_MS = 3_600_000;
  static final int MAX_STEPS = 10_000;
  static final long MAX_INTERVAL_MS = 60_000;

  @Override
  protected void registerCommands() {
    command("web", req -> req.reply(Status.OK, "success", new JsonArray()));
    command("echo", req -> req.ok(new JsonObject().put("args", req.args()).put("kwargs", req.kwargs())));
    command("sleep", this::sleep);
    command("progress", this::progress);
    command("dialogue", this::dialogue);
  }

  @Override
  protected String src() {
    return config().getString("src", "builtin");
  }

  /** Answers after {@code kwargs.ms} without holding a thread; a cancel stops the timer. */
  private void sleep(CommandRequest req) {
    long ms = within(req.longInteger("ms", 0), "ms", 0, MAX_SLEEP_MS);
    if (ms == 0) {
      req.ok(new JsonObject().put("slept_ms", 0));
      return;
    }
    long timer = vertx.setTimer(ms, id -> req.ok(new JsonObject().put("slept_ms", ms)));
    req.endHandler(reason -> vertx.cancelTimer(timer));
  }

  /** {@code kwargs.steps} intermediate responses, {@code kwargs.interval_ms} apart, then 200. */
  private void progress(CommandRequest req) {
    int steps = (int) within(req.integer("steps", 3), "steps", 1, MAX_STEPS);
    long interval = within(req.longInteger("interval_ms", 100), "interval_ms", 1, MAX_INTERVAL_MS);
    int[] step = {0};
    long timer = vertx.setPeriodic(interval, id -> {
      step[0]++;
      req.progress(new JsonObject().put("progress", step[0] * 100 / steps).put("step", step[0]).put("steps", steps));
      if (step[0] == steps) {
        vertx.cancelTimer(id);
        req.ok(new JsonObject().put("progress", 100).put("steps", steps));
      }
    });
    req.endHandler(reason -> vertx.cancelTimer(timer));
  }

  /** Answers every round with an intermediate 200 until a round carries {@code kwargs.done: true}. */
  private void dialogue(CommandRequest req) {
    int[] round = {0};
    answerRound(req, round[0], req);
    req.roundHandler(next -> answerRound(req, ++round[0], next));
  }

  private static void answerRound(CommandRequest req, int round, Arguments arguments) {
    JsonObject data = new JsonObject().put("round", round).put("args", arguments.args()).put("kwargs", arguments.kwargs());
    if (arguments.bool("done", false)) {
      req.ok(data);
    } else {
      req.progress(Status.OK, "round " + round, data);
    }
  }

  /** The value of an argument read with the typed accessors, checked against its bounds. */
  static long within(long value, String kwarg, long min, long max) {
    if (value < min || value > max) {
      throw new CommandException(Status.BAD_REQUEST, "kwarg \"" + kwarg + "\" must be within [" + min + ", " + max + "]");
    }
    return value;
  }
}
