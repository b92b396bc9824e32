package org.jwws.node;

import io.vertx.core.json.JsonObject;
import org.jwws.gateway.GatewayOptions;

/**
 * The node config's {@code gateway} object as {@link GatewayOptions}, every error naming its key
 * as {@code gateway.KEY}: a value of the wrong type is refused here, before the options' getters
 * would fail with a ClassCastException that names nothing.
 */
final class GatewayKeys {

  private GatewayKeys() {
  }

  static GatewayOptions options(JsonObject gateway) {
    JsonObject defaults = new GatewayOptions().toJson();
    JsonObject checked = ConfigValues.checked(gateway, defaults, "gateway.");
    // "enabled" is the node's, not the options'
    checked.remove("enabled");
    try {
      return new GatewayOptions(checked);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("gateway: a value has the wrong type: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      // the options' messages start with the key when they are about one
      String first = e.getMessage() == null ? "" : e.getMessage().split("[ .]", 2)[0];
      throw new IllegalArgumentException((defaults.containsKey(first) ? "gateway." : "gateway: ") + e.getMessage(), e);
    }
  }
}
