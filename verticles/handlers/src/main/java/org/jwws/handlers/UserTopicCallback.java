package org.jwws.handlers;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.MessageConsumer;
import org.jwws.shared.Backend;
import org.jwws.shared.Status;

/**
 * A topic callback (the seed's {@code registry_topic_callback}): every publication on
 * {@code user} is answered by a follow-up on the same topic. It skips publications it made
 * itself, so it never loops.
 */
public class UserTopicCallback extends VerticleBase {

  public static final String TOPIC = "user";

  private MessageConsumer<JsonObject> consumer;

  @Override
  public Future<?> start() {
    String src = config().getString("src", "user-callback");
    Backend backend = Backend.create(vertx, src);
    consumer = backend.subscribe(TOPIC, publication -> {
      if (!src.equals(publication.getString("src"))) {
        backend.publish(TOPIC, Status.OK, "seen by " + src, new JsonObject().put("seen", publication.getValue("data")));
      }
    });
    return consumer.completion();
  }
}
