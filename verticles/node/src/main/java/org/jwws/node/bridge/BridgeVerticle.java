package org.jwws.node.bridge;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.jwws.shared.internal.HandOverCodec;

/**
 * The TCP event-bus bridge: handler processes outside the JVM (the Python {@code jwgw}
 * package) join the cluster's event bus through it, in the frames of vertx-tcp-eventbus-bridge,
 * within the rules of {@link BridgeOptions}. Each connection is a {@link BridgeClient}.
 */
public final class BridgeVerticle extends VerticleBase {

  private final BridgeOptions options;
  private NetServer server;

  public BridgeVerticle(BridgeOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    // answers from bridge clients are handed over like those of the handler API
    HandOverCodec.register(vertx);
    NetServerOptions netOptions = new NetServerOptions();
    if (tls()) {
      netOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(options.tlsCertPath()).setKeyPath(options.tlsKeyPath()));
    }
    server = vertx.createNetServer(netOptions)
      .connectHandler(socket -> new BridgeClient(vertx, socket, options));
    return server.listen(options.port(), options.host());
  }

  /** The port it listens on (the actual one when configured 0). */
  public int port() {
    return server.actualPort();
  }

  public boolean tls() {
    return options.tlsCertPath() != null;
  }
}
