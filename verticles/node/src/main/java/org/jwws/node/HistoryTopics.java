package org.jwws.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import org.jwws.gateway.GatewayOptions;
import org.jwws.gateway.HistoryRule;
import org.jwws.shared.internal.Addresses;

/** Tells {@code Backend} (through a local map of the Vert.x instance) which topics have history. */
final class HistoryTopics {

  private HistoryTopics() {
  }

  static void tell(Vertx vertx, GatewayOptions options) {
    if (options.getHistory().isEmpty()) {
      return;
    }
    JsonArray globs = new JsonArray();
    options.getHistory().stream().map(HistoryRule::topics).forEach(globs::add);
    vertx.sharedData().getLocalMap(Addresses.HISTORY_TOPICS_MAP).put("globs", globs);
  }
}
