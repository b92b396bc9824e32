package org.jwws.node;

import io.vertx.config.ConfigStoreOptions;
import io.vertx.config.spi.ConfigProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The format of the node's environment store: vertx-config's env store hands over the raw
 * variables, this turns the {@code JWGW_*} ones into config keys ({@link EnvVariables}) before
 * they are merged. Found by vertx-config through {@code META-INF/services}.
 */
public final class EnvFormat implements ConfigProcessor {

  static final String NAME = "jw-gateway-env";

  /** The process environment, variables kept as text: {@link EnvVariables} types them. */
  static ConfigStoreOptions store() {
    return new ConfigStoreOptions().setType("env").setFormat(NAME).setConfig(new JsonObject().put("raw-data", true));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<JsonObject> process(Vertx vertx, JsonObject configuration, Buffer input) {
    try {
      return Future.succeededFuture(EnvVariables.toConfig(input.toJsonObject().getMap()));
    } catch (IllegalArgumentException badValue) {
      return Future.failedFuture(badValue);
    }
  }
}
