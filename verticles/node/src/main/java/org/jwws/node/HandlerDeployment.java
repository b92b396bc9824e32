package org.jwws.node;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;

/**
 * One entry of the node config's {@code handlers}: a verticle class to deploy,
 * {@code {"class", "worker", "instances", "config"}}.
 */
final class HandlerDeployment {

  /** Handlers may block (a database, a file): a worker unless the entry says otherwise. */
  static final boolean DEFAULT_WORKER = true;
  static final int DEFAULT_INSTANCES = 1;

  private final String className;
  private final boolean worker;
  private final int instances;
  private final JsonObject config;

  HandlerDeployment(String className, boolean worker, int instances, JsonObject config) {
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException("class must be set");
    }
    if (instances < 1 || instances > 1024) {
      throw new IllegalArgumentException("instances must be within [1, 1024]: " + instances);
    }
    this.className = className;
    this.worker = worker;
    this.instances = instances;
    this.config = config == null ? new JsonObject() : config.copy();
  }

  /** The entry at {@code name} ({@code handlers[0]}), every error naming its key there. */
  static HandlerDeployment fromJson(Object entry, String name) {
    if (!(entry instanceof JsonObject)) {
      throw ConfigValues.wrongType(name, "a JSON object", entry);
    }
    JsonObject json = (JsonObject) entry;
    String prefix = name + ".";
    try {
      return new HandlerDeployment(ConfigValues.text(json, prefix, "class", null),
        ConfigValues.bool(json, prefix, "worker", DEFAULT_WORKER),
        ConfigValues.whole(json, prefix, "instances", DEFAULT_INSTANCES),
        ConfigValues.object(json, prefix, "config", new JsonObject()));
    } catch (IllegalArgumentException bad) {
      throw bad.getMessage().startsWith(prefix) ? bad : new IllegalArgumentException(prefix + bad.getMessage(), bad);
    }
  }

  JsonObject toJson() {
    return new JsonObject().put("class", className).put("worker", worker).put("instances", instances).put("config", config.copy());
  }

  String className() {
    return className;
  }

  boolean worker() {
    return worker;
  }

  int instances() {
    return instances;
  }

  JsonObject config() {
    return config.copy();
  }

  DeploymentOptions deploymentOptions() {
    return new DeploymentOptions()
      .setThreadingModel(worker ? ThreadingModel.WORKER : ThreadingModel.EVENT_LOOP)
      .setInstances(instances)
      .setConfig(config.copy());
  }
}
