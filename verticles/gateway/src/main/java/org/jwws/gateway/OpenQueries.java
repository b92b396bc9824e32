package org.jwws.gateway;

import io.vertx.core.json.JsonObject;
import org.jwws.shared.Status;
import org.jwws.shared.internal.Envelope;

import java.util.function.Consumer;

/**
 * v2: one connection's history and presence reads, at most {@link #MAX_OPEN_QUERIES} in flight,
 * so their answers stay bounded; more get 429. Touched only from the connection's event loop.
 */
final class OpenQueries {

  static final int MAX_OPEN_QUERIES = 4;

  private final Recipient connection;
  /** Writes an ack to the client. */
  private final Consumer<JsonObject> acks;
  private final Principal principal;
  private final V2Queries queries;
  private int open;

  OpenQueries(Recipient connection, Consumer<JsonObject> acks, Principal principal, V2Queries queries) {
    this.connection = connection;
    this.acks = acks;
    this.principal = principal;
    this.queries = queries;
  }

  void query(Inbound in) {
    if (open >= MAX_OPEN_QUERIES) {
      acks.accept(Envelope.ack(Status.TOO_MANY, "more than " + MAX_OPEN_QUERIES + " history/presence reads in flight", in.topics, in.id));
      return;
    }
    open++;
    queries.answer(in, principal, answer -> connection.onContext(() -> {
      open--;
      acks.accept(answer);
    }));
  }
}
