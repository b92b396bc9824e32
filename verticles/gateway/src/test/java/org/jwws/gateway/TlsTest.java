package org.jwws.gateway;

import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * {@code wss://} with a PEM certificate and key made for the test.
 */
class TlsTest extends GatewayTestBase {

  private static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.create("localhost");

  @AfterAll
  static void deleteCertificate() {
    CERTIFICATE.delete();
  }

  @Override
  protected GatewayOptions options() {
    return super.options().setTls(CERTIFICATE.certificatePath(), CERTIFICATE.privateKeyPath());
  }

  @Test
  void clientTrustingTheCertificateSpeaksTheProtocolOverWss() {
    TestClient client = await(TestClient.connect(vertx, new WebSocketConnectOptions()
      .setHost("127.0.0.1").setPort(gateway.port()).setURI("/ws").setSsl(true),
      new WebSocketClientOptions().setSsl(true).setTrustOptions(CERTIFICATE.trustOptions()).setVerifyHost(false)));
    assertTrue(client.socket().isSsl());
    assertEquals(200, await(client.request("echo", null)).getInteger("code"));
    await(client.close());
  }

  @Test
  void plainClientIsNotServed() {
    Throwable failure = TestClient.connect(vertx, gateway.port()).toCompletionStage().toCompletableFuture()
      .handle((client, err) -> err).join();
    // no HTTP answer at all (not even a refused upgrade): the TLS port drops what is no TLS handshake
    assertInstanceOf(WebSocketHandshakeException.class, failure, "a plain ws:// upgrade fails: " + failure);
    assertEquals("Connection closed while handshake in process", failure.getMessage());
    assertEquals(0, gateway.stats().connections(), "nothing connected");
  }
}
