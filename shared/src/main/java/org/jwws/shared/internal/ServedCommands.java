package org.jwws.shared.internal;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;

import java.util.List;
import java.util.TreeMap;

/**
 * The commands the {@link org.jwws.shared.CommandVerticle}s of one Vert.x instance serve, each with the number
 * of instances serving it: what a node reports to the console. Plain {@code cmd.*} consumers
 * registered without the handler API are not counted.
 */
public final class ServedCommands {

  private static final String MAP = "jw.served-commands";

  private ServedCommands() {
  }

  /** Command name to instances serving it in this Vert.x instance, sorted by name. */
  public static JsonObject of(Vertx vertx) {
    return new JsonObject(new TreeMap<>(map(vertx)));
  }

  public static void added(Vertx vertx, List<String> commands) {
    LocalMap<String, Object> served = map(vertx);
    commands.forEach(name -> served.merge(name, 1, (a, b) -> (Integer) a + (Integer) b));
  }

  public static void removed(Vertx vertx, List<String> commands) {
    LocalMap<String, Object> served = map(vertx);
    commands.forEach(name -> served.computeIfPresent(name, (key, count) -> (Integer) count <= 1 ? null : (Integer) count - 1));
  }

  private static LocalMap<String, Object> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
