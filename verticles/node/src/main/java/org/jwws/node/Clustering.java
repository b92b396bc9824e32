package org.jwws.node;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.InterfacesConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Hazelcast and event-bus settings of a clustered node, from its {@link NodeOptions}.
 */
final class Clustering {

  static final String DEFAULT_FILE = "conf/cluster.xml";
  static final String DEFAULT_RESOURCE = "cluster.xml";
  static final String BIND_ANY = "hazelcast.socket.bind.any";
  /** Hazelcast's own default name and the one conf/cluster.xml ships with: fine on loopback only. */
  private static final Set<String> DEV_NAMES = Set.of("dev", "jw-gateway-dev");

  private static final Logger log = LoggerFactory.getLogger(Clustering.class);

  private Clustering() {
  }

  /**
   * A cluster manager on the configured Hazelcast XML, with {@code clusterName} applied and the
   * member port bound only where the XML's {@code <interfaces>} say, unless the XML (or a
   * system property) sets {@value #BIND_ANY} itself.
   */
  static HazelcastClusterManager clusterManager(NodeOptions options) throws FileNotFoundException {
    Config hazelcast = hazelcastConfig(options.getClusterConfig());
    String name = options.getClusterName();
    if (name != null) {
      hazelcast.setClusterName(name);
    }
    // Hazelcast's default (true) listens on every address, whatever <interfaces> names
    if (hazelcast.getProperty(BIND_ANY) == null && System.getProperty(BIND_ANY) == null) {
      hazelcast.setProperty(BIND_ANY, "false");
    }
    if (DEV_NAMES.contains(hazelcast.getClusterName()) && reachableBeyondLoopback(hazelcast, options.getClusterHost())) {
      log.warn("cluster name {} is a development default and this node's cluster ports are reachable beyond loopback:"
        + " anyone who guesses the name can join; give the cluster a private name (clusterName, --cluster-name)"
        + " and firewall ports 5701-5720 and the event bus (README, Running a cluster)", hazelcast.getClusterName());
    }
    return new HazelcastClusterManager(hazelcast);
  }

  /** Whether Hazelcast or the event bus listens on more than loopback with this config. */
  private static boolean reachableBeyondLoopback(Config hazelcast, String eventBusHost) {
    String bindAny = hazelcast.getProperty(BIND_ANY) != null ? hazelcast.getProperty(BIND_ANY) : System.getProperty(BIND_ANY);
    InterfacesConfig interfaces = hazelcast.getNetworkConfig().getInterfaces();
    return Boolean.parseBoolean(bindAny) || !interfaces.isEnabled()
      || !interfaces.getInterfaces().stream().allMatch(Clustering::isLoopback) || !isLoopback(eventBusHost);
  }

  private static boolean isLoopback(String host) {
    return host.startsWith("127.") || host.equals("localhost") || host.equals("::1") || host.equals("[::1]");
  }

  /**
   * Vert.x options of a node: its event loops and, when clustered, an event bus listening on
   * {@code clusterHost} only, on {@code clusterPort}; with {@code eventBusTls} node-to-node
   * messages travel over TLS, each node proving itself with its certificate.
   */
  static VertxOptions vertxOptions(NodeOptions config) {
    String host = config.getClusterHost();
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(config.getEventLoops());
    EventBusOptions eventBus = options.getEventBusOptions().setHost(host).setPort(config.getClusterPort())
      .setClusterPublicHost(host);
    EventBusTls tls = config.getEventBusTls();
    if (tls != null) {
      eventBus.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.trustCertPath()));
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
