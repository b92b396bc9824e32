package org.jwws.client;

import io.vertx.core.AsyncResult;
import io.vertx.core.Completable;
import io.vertx.core.Expectation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A request on its way: the future of its final 200 response (failed with a
 * {@link GatewayException} for any other code), its id, and the means to cancel it.
 */
public final class Call implements Future<JsonObject> {

  private final String id;
  private final Future<JsonObject> answer;
  private final Runnable cancel;

  Call(String id, Future<JsonObject> answer, Runnable cancel) {
    this.id = id;
    this.answer = answer;
    this.cancel = cancel;
  }

  /** The request's id on the wire. */
  public String id() {
    return id;
  }

  /** Asks the gateway to cancel: the call then fails with 499, unless the answer came first. */
  public void cancel() {
    cancel.run();
  }

  // the rest is the answer's future

  @Override
  public boolean isComplete() {
    return answer.isComplete();
  }

  @Override
  public Future<JsonObject> onComplete(Completable<? super JsonObject> handler) {
    return answer.onComplete(handler);
  }

  @Override
  public JsonObject result() {
    return answer.result();
  }

  @Override
  public Throwable cause() {
    return answer.cause();
  }

  @Override
  public boolean succeeded() {
    return answer.succeeded();
  }

  @Override
  public boolean failed() {
    return answer.failed();
  }

  @Override
  public <U> Future<U> compose(Function<? super JsonObject, Future<U>> success, Function<Throwable, Future<U>> failure) {
    return answer.compose(success, failure);
  }

  @Override
  public <U> Future<U> transform(Function<AsyncResult<JsonObject>, Future<U>> mapper) {
    return answer.transform(mapper);
  }

  @Override
  public <U> Future<JsonObject> eventually(Supplier<Future<U>> supplier) {
    return answer.eventually(supplier);
  }

  @Override
  public <U> Future<U> map(Function<? super JsonObject, U> mapper) {
    return answer.map(mapper);
  }

  @Override
  public <V> Future<V> map(V value) {
    return answer.map(value);
  }

  @Override
  public Future<JsonObject> otherwise(Function<Throwable, JsonObject> mapper) {
    return answer.otherwise(mapper);
  }

  @Override
  public Future<JsonObject> otherwise(JsonObject value) {
    return answer.otherwise(value);
  }

  @Override
  public Future<JsonObject> expecting(Expectation<? super JsonObject> expectation) {
    return answer.expecting(expectation);
  }

  @Override
  public Future<JsonObject> timeout(long delay, TimeUnit unit) {
    return answer.timeout(delay, unit);
  }
}
