package org.jwws.node;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hazelcast and event-bus settings of a clustered node, from the node config.
 */
final class Clustering {

  static final String DEFAULT_FILE = "conf/cluster.xml";
  static final String DEFAULT_RESOURCE = "cluster.xml";
  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_EVENT_LOOPS = Runtime.getRuntime().availableProcessors();

  private Clustering() {
  }

  /** A cluster manager on the configured Hazelcast XML, with {@code clusterName} applied. */
  static HazelcastClusterManager clusterManager(JsonObject config) throws FileNotFoundException {
    Config hazelcast = hazelcastConfig(config.getString("clusterConfig"));
    String name = config.getString("clusterName");
    if (name != null) {
      hazelcast.setClusterName(name);
    }
    return new HazelcastClusterManager(hazelcast);
  }

  /**
   * Vert.x options of a node: {@code eventLoops} (unset or 0: cores). When clustered, the event bus
   * listens on {@code clusterHost}, on a free port; with {@code eventBusTls}
   * ({@code certPath}, {@code keyPath}, {@code trustCertPath}: PEM files) node-to-node messages
   * travel over TLS, each node proving itself with its certificate.
   */
  static VertxOptions vertxOptions(JsonObject config) {
    String host = config.getString("clusterHost", DEFAULT_HOST);
    // as many event loops as cores: gateway and handler instances share them, so a request
    // often stays on its connection's loop instead of waking another thread
    Integer eventLoops = config.getInteger("eventLoops");
    VertxOptions options = new VertxOptions()
      .setEventLoopPoolSize(eventLoops == null || eventLoops == 0 ? DEFAULT_EVENT_LOOPS : eventLoops);
    EventBusOptions eventBus = options.getEventBusOptions().setHost(host).setPort(0).setClusterPublicHost(host);
    JsonObject tls = config.getJsonObject("eventBusTls");
    if (tls != null) {
      eventBus.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.getString("certPath")).setKeyPath(tls.getString("keyPath")))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.getString("trustCertPath")));
    }
    return options;
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
