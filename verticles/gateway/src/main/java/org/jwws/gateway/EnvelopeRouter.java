package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Status;

import java.util.function.BiConsumer;

/**
 * Routes one connection's complete text messages: each is read as an envelope and handed to the
 * part that handles its kind (requests, subscriptions, v2 reads); what cannot be read gets its
 * 400 here. Touched only from the connection's event loop.
 */
final class EnvelopeRouter implements FrameAssembler.Sink {

  private final EnvelopeReader reader;
  private final GatewayMetrics metrics;
  private final Principal principal;
  private final OpenRequests requests;
  private final Subscriptions subscriptions;
  private final OpenQueries queries;
  /** Writes a frame the client caused, counted by its kind. */
  private final BiConsumer<JsonObject, Counter> answer;
  /** A message over the size limit: the connection closes (1009). */
  private final Runnable tooLarge;

  EnvelopeRouter(EnvelopeReader reader, GatewayMetrics metrics, Principal principal, OpenRequests requests,
                 Subscriptions subscriptions, OpenQueries queries, BiConsumer<JsonObject, Counter> answer, Runnable tooLarge) {
    this.reader = reader;
    this.metrics = metrics;
    this.principal = principal;
    this.requests = requests;
    this.subscriptions = subscriptions;
    this.queries = queries;
    this.answer = answer;
    this.tooLarge = tooLarge;
  }

  @Override
  public void text(String text) {
    Inbound in;
    try {
      in = reader.read(text);
    } catch (FrameRejected rejected) {
      reject(rejected);
      return;
    }
    metrics.frameIn(in.kind);
    switch (in.kind) {
      case REQ:
        if (principal.mayCall(in.command)) {
          requests.request(in);
        } else {
          requests.refuse(in, Status.FORBIDDEN, "not permitted to call " + in.command);
        }
        break;
      case CANCEL:
        requests.cancel(in);
        break;
      case SUB:
        subscriptions.subscribe(in);
        break;
      case UNSUB:
        subscriptions.unsubscribe(in);
        break;
      case PUB:
        subscriptions.publish(in);
        break;
      case HISTORY:
      case PRESENCE:
        queries.query(in);
        break;
      default:
        throw new IllegalStateException("unhandled kind " + in.kind);
    }
  }

  @Override
  public void rejected(String reason) {
    reject(EnvelopeReader.unparsed(reason, null));
  }

  /** A 400: a response, or an ack for a pub/sub frame. */
  private void reject(FrameRejected rejected) {
    metrics.frameRejected(Status.BAD_REQUEST, rejected.getMessage());
    answer.accept(rejected.reply(), metrics.frameOut(rejected.reply()));
  }

  @Override
  public void tooLarge() {
    tooLarge.run();
  }
}
