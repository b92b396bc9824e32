package org.jwws.node;

import io.vertx.core.json.JsonObject;

/**
 * The node config's {@code eventBusTls}: PEM files with which node-to-node messages travel over
 * mutual TLS, each node proving itself with its certificate.
 */
record EventBusTls(String certPath, String keyPath, String trustCertPath) {

  /** @throws IllegalArgumentException naming the first key that is missing or not text */
  static EventBusTls fromJson(JsonObject json) {
    return new EventBusTls(required(json, "certPath"), required(json, "keyPath"), required(json, "trustCertPath"));
  }

  private static String required(JsonObject json, String key) {
    String value = ConfigValues.text(json, "eventBusTls.", key, null);
    if (value == null) {
      throw new IllegalArgumentException("eventBusTls." + key + " must be set");
    }
    return value;
  }

  JsonObject toJson() {
    return new JsonObject().put("certPath", certPath).put("keyPath", keyPath).put("trustCertPath", trustCertPath);
  }
}
