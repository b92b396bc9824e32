package org.jwws.node;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a clustered Vert.x on Hazelcast from the node config.
 */
final class Clustering {

  static final String DEFAULT_FILE = "conf/cluster.xml";
  static final String DEFAULT_RESOURCE = "cluster.xml";
  static final String DEFAULT_HOST = "127.0.0.1";

  private Clustering() {
  }

  static Future<Vertx> createVertx(VertxOptions options, JsonObject config) {
    Config hazelcast;
    try {
      hazelcast = hazelcastConfig(config.getString("clusterConfig"));
    } catch (FileNotFoundException e) {
      return Future.failedFuture(e);
    }
    String name = config.getString("clusterName");
    if (name != null) {
      hazelcast.setClusterName(name);
    }
    String host = config.getString("clusterHost", DEFAULT_HOST);
    options.getEventBusOptions().setHost(host).setPort(0).setClusterPublicHost(host);
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered();
  }

  /** The named XML file, else {@value #DEFAULT_FILE} when present, else the one packed in the jar. */
  static Config hazelcastConfig(String file) throws FileNotFoundException {
    if (file != null) {
      return new FileSystemXmlConfig(file);
    }
    if (Files.isRegularFile(Path.of(DEFAULT_FILE))) {
      return new FileSystemXmlConfig(DEFAULT_FILE);
    }
    return new ClasspathXmlConfig(DEFAULT_RESOURCE);
  }
}
