package org.jwws.shared;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One invocation of a command: what the client sent and the ways to answer it.
 * <p>
 * Exactly one final answer reaches the client ({@link #reply}, {@link #ok}, {@link #fail});
 * later calls are ignored. Before it, {@link #progress} sends any number of intermediate
 * responses ({@code more: true}). A handler that wants the client's next rounds of a dialogue
 * or to learn that the request ended early sets {@link #roundHandler} / {@link #endHandler}.
 * The arguments are read with the typed accessors of {@link Arguments} ({@code req.string("name")},
 * {@code req.integer("count", 10)}, {@code req.string(0)}), which answer 400 naming a missing or
 * ill-typed argument. All methods may be called from any thread.
 */
public interface CommandRequest extends Arguments {

  String command();

  /** The client's {@code src}, or null. */
  String src();

  /** The client's {@code id} (string or number), or null. */
  Object id();

  /** The authenticated principal (subject, roles, claims), or null when authentication is off. */
  JsonObject principal();

  /**
   * The event-bus address of the client's connection: an envelope sent there (see
   * {@link Backend#push}) is written to that one client, from any node, for as long as it is
   * connected. Null when the request did not come through a gateway.
   */
  String connection();

  Vertx vertx();

  /** True until the final answer was given or the conversation ended. */
  boolean isOpen();

  /** The final answer. */
  void reply(int code, String msg, Object data);

  /** The final answer {@code 200 "success"} with {@code data}. */
  default void ok(Object data) {
    reply(Status.OK, Status.reason(Status.OK), data);
  }

  /** A final error answer with empty {@code data}, the failure shape of the original library. */
  default void fail(int code, String msg) {
    reply(code, msg, new JsonArray());
  }

  /** An intermediate response ({@code more: true}). */
  void progress(int code, String msg, Object data);

  /** An intermediate {@code 200 "progress"} response with {@code data}. */
  default void progress(Object data) {
    progress(Status.OK, "progress", data);
  }

  /** Called with each further {@code req} frame the client sends with this request's id. */
  CommandRequest roundHandler(Handler<Round> handler);

  /** Called once if the request ends before the final answer (cancel, disconnect, timeout). */
  CommandRequest endHandler(Handler<EndReason> handler);
}
