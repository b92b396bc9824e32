package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jwws.shared.Status;
import org.jwws.shared.internal.Envelope;

import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code history} and {@code presence} actions: explicit reads, answered in the ack shape,
 * with the permission of {@code sub} on the topic.
 */
final class V2Queries {

  private final TopicHistory history;
  private final Presence presence;
  /** An answer's publications stop short of this many characters: the client pages on with since. */
  private final int maxAnswerChars;

  V2Queries(TopicHistory history, Presence presence, int maxAnswerChars) {
    this.history = history;
    this.presence = presence;
    this.maxAnswerChars = maxAnswerChars;
  }

  /** Topics of a {@code sub} with a {@code since} but no history: a 400, null when all have one. */
  JsonObject sinceWithoutHistory(Inbound in) {
    for (String topic : in.since.keySet()) {
      if (history.rule(topic) == null) {
        return Envelope.ack(Status.BAD_REQUEST, "topic " + topic + " has no history", in.topics, in.id);
      }
    }
    return null;
  }

  void answer(Inbound in, Principal principal, Consumer<JsonObject> send) {
    String topic = in.topics.get(0);
    if (!principal.maySubscribe(topic)) {
      send.accept(Envelope.ack(Status.FORBIDDEN, "not permitted to subscribe to " + topic, in.topics, in.id));
      return;
    }
    Future<JsonObject> answer;
    if (in.kind == Inbound.Kind.HISTORY) {
      HistoryRule rule = history.rule(topic);
      if (rule == null) {
        send.accept(Envelope.ack(Status.BAD_REQUEST, "topic " + topic + " has no history", in.topics, in.id));
        return;
      }
      answer = history(topic, rule, in);
    } else {
      if (!presence.has(topic)) {
        send.accept(Envelope.ack(Status.BAD_REQUEST, "topic " + topic + " has no presence", in.topics, in.id));
        return;
      }
      answer = presence.list(topic).map(list -> ok(in).put(Envelope.DATA, list.getJsonArray(Envelope.DATA)).put("count", list.getInteger("count")));
    }
    answer.onComplete(ar -> send.accept(ar.succeeded() ? ar.result()
      : Envelope.ack(Status.UNAVAILABLE, in.kind.action + " unavailable", in.topics, in.id)));
  }

  /**
   * With a {@code since} of the current epoch: the publications after it (at most {@code limit},
   * oldest first, so a client can page on). Without: the last {@code limit} held.
   */
  private Future<JsonObject> history(String topic, HistoryRule rule, Inbound in) {
    int limit = in.limit == null ? rule.size() : Math.min(in.limit, rule.size());
    Inbound.Since since = in.since.get(topic);
    return history.position(topic, rule).compose(head -> {
      boolean continues = since != null && since.epoch.equals(head.epoch) && since.offset <= head.offset;
      long from = continues ? since.offset + 1 : Math.max(1, head.offset - limit + 1);
      Future<List<TopicHistory.Stored>> read = from > head.offset ? Future.succeededFuture(List.of())
        : history.read(topic, rule, from, limit);
      return read.map(found -> {
        JsonArray data = new JsonArray();
        long chars = 0;
        for (TopicHistory.Stored stored : found) {
          chars += stored.frame.length();
          if (chars > maxAnswerChars && !data.isEmpty()) {
            break;
          }
          data.add(new JsonObject(TopicHistory.withOffset(stored.frame, stored.offset, head.epoch)));
        }
        JsonObject ack = ok(in).put(Envelope.DATA, data).put("position", new JsonObject()
          .put(topic, new JsonObject().put(TopicHistory.OFFSET, head.offset).put(TopicHistory.EPOCH, head.epoch)));
        if (since != null) {
          ack.put("recovered", new JsonObject().put(topic, continues && (found.isEmpty() ? from > head.offset : found.get(0).offset == from)));
        }
        return ack;
      });
    });
  }

  private static JsonObject ok(Inbound in) {
    return Envelope.ack(Status.OK, Status.reason(Status.OK), in.topics, in.id);
  }
}
