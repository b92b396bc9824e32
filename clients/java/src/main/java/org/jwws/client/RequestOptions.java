package org.jwws.client;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/** Per request: its timeout and what to do with its intermediate responses ({@code more: true}). */
public class RequestOptions {

  private long timeoutMs;
  private Handler<JsonObject> progressHandler;

  public long getTimeoutMs() {
    return timeoutMs;
  }

  /** 0 (the default): the client's {@link ClientOptions#getTimeoutMs()}. */
  public RequestOptions setTimeoutMs(long timeoutMs) {
    this.timeoutMs = timeoutMs;
    return this;
  }

  public Handler<JsonObject> getProgressHandler() {
    return progressHandler;
  }

  /** Gets every intermediate response, on the client's context, before the final one. */
  public RequestOptions setProgressHandler(Handler<JsonObject> progressHandler) {
    this.progressHandler = progressHandler;
    return this;
  }
}
