package org.jwws.node;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The node's configuration, read with vertx-config from three stores, each merged over the one
 * before (objects key by key, other values replaced): the JSON file (or the defaults packed in
 * the jar), then {@code JWGW_*} environment variables ({@link EnvFormat}), then the flags. The
 * merged JSON becomes {@link NodeOptions}, which knows the keys and holds their defaults: the
 * packed file sets only what the examples add to them.
 */
final class NodeConfig {

  static final String DEFAULT_FILE = "conf/node.json";
  /**
   * The packed defaults, a classpath resource the file store finds through Vert.x's file
   * resolver. In a directory of its own: a {@code node.json} in the working directory would
   * shadow a resource at the root.
   */
  static final String DEFAULT_RESOURCE = "jw-gateway/node.json";

  private NodeConfig() {
  }

  /** The config of this process: its environment, {@value #DEFAULT_FILE} under its working directory. */
  static Future<JsonObject> read(Vertx vertx, NodeArgs args) {
    return read(vertx, args, EnvFormat.store(), Path.of(""));
  }

  /**
   * The file named by {@code --conf}, else {@value #DEFAULT_FILE} under {@code workDir} when
   * present, else the packed defaults; then the {@code env} store; then the flags.
   */
  static Future<JsonObject> read(Vertx vertx, NodeArgs args, ConfigStoreOptions env, Path workDir) {
    if (args.confFile != null && !Files.isRegularFile(Path.of(args.confFile))) {
      return Future.failedFuture(new IllegalArgumentException("--conf " + args.confFile + ": no such file"));
    }
    String path = args.confFile != null ? args.confFile : defaultFile(workDir);
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setScanPeriod(0)
      .addStore(new ConfigStoreOptions().setType("file").setFormat("json").setConfig(new JsonObject().put("path", path)))
      .addStore(env)
      .addStore(new ConfigStoreOptions().setType("json").setConfig(args.toJson())));
    retriever.setConfigurationProcessor(NodeArgs::addHandlers);
    return retriever.getConfig()
      .recover(err -> Future.failedFuture(err instanceof DecodeException
        ? new IllegalArgumentException(path + " is not a JSON object: " + err.getMessage(), err) : err))
      .eventually(retriever::close);
  }

  /** {@value #DEFAULT_FILE} under {@code workDir} when present, else the packed defaults. */
  private static String defaultFile(Path workDir) {
    Path local = workDir.resolve(DEFAULT_FILE);
    return Files.isRegularFile(local) ? local.toString() : DEFAULT_RESOURCE;
  }

  static JsonObject gateway(JsonObject config) {
    return child(config, "gateway", JsonObject::new);
  }

  static JsonArray handlers(JsonObject config) {
    return child(config, "handlers", JsonArray::new);
  }

  /** The config's {@code key}, created empty (and kept) when absent, so flags can add to it. */
  static <T> T child(JsonObject config, String key, Supplier<T> empty) {
    @SuppressWarnings("unchecked")
    T value = (T) config.getValue(key);
    if (value == null) {
      value = empty.get();
      config.put(key, value);
    }
    return value;
  }
}
