package org.jwws.client;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A multi-round conversation on one request id: {@link #first()} is the answer to the opening
 * request, {@link #send} the next round and its answer, {@link #done()} the final response.
 * Its state is touched only on the client's context.
 */
public final class Dialogue {

  private final GatewayClient client;
  private final String id;
  private final String command;
  private final Deque<JsonObject> answers = new ArrayDeque<>();
  private final Deque<Promise<JsonObject>> waiting = new ArrayDeque<>();
  private final Future<JsonObject> first;
  private Future<JsonObject> done;
  private Throwable failure;

  Dialogue(GatewayClient client, String id, String command) {
    this.client = client;
    this.id = id;
    this.command = command;
    this.first = next();
  }

  void ended(Future<JsonObject> done) {
    this.done = done;
    done.onComplete(this::ended);
  }

  public String id() {
    return id;
  }

  public Future<JsonObject> first() {
    return first;
  }

  /** The final response (the one without {@code more}). */
  public Future<JsonObject> done() {
    return done;
  }

  /**
   * Sends the next round; completes with the handler's answer to it (or the final response).
   * Once the dialogue has ended nothing is sent: it completes with an answer not yet taken, or fails.
   */
  public Future<JsonObject> send(JsonArray args, JsonObject kwargs) {
    Promise<JsonObject> answer = Promise.promise();
    client.onContext(() -> {
      next().onComplete(answer);
      // after the final response the id is free: a round would open a new request
      if (!done.isComplete()) {
        client.sendRound(id, command, args, kwargs);
      }
    });
    return answer.future();
  }

  public void cancel() {
    client.cancel(id);
  }

  /** An answer of the handler (intermediate or final). */
  void answer(JsonObject frame) {
    Promise<JsonObject> next = waiting.poll();
    if (next != null) {
      next.complete(frame);
    } else {
      answers.add(frame);
    }
  }

  private Future<JsonObject> next() {
    if (!answers.isEmpty()) {
      return Future.succeededFuture(answers.poll());
    }
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    Promise<JsonObject> next = Promise.promise();
    waiting.add(next);
    return next.future();
  }

  private void ended(AsyncResult<JsonObject> result) {
    if (result.succeeded()) {
      answer(result.result());
      failure = new IllegalStateException("the dialogue ended");
      return;
    }
    failure = result.cause();
    waiting.forEach(promise -> promise.tryFail(failure));
    waiting.clear();
  }
}
