package org.jwws.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** A request on its way: its final answer, and the means to cancel it. */
public final class Call {

  private final String id;
  private final Future<JsonObject> future;
  private final Runnable cancel;

  Call(String id, Future<JsonObject> future, Runnable cancel) {
    this.id = id;
    this.future = future;
    this.cancel = cancel;
  }

  /** The request's id on the wire. */
  public String id() {
    return id;
  }

  /** The final 200 response; failed with a {@link GatewayException} for any other code. */
  public Future<JsonObject> future() {
    return future;
  }

  /** Asks the gateway to cancel: the future then fails with 499, unless the answer came first. */
  public void cancel() {
    cancel.run();
  }
}
