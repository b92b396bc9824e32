package org.jwws.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.jwws.gateway.TestClient;
import org.jwws.handlers.BuiltinCommands;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jwws.gateway.GatewayTestBase.waitUntil;
import static org.jwws.gateway.TestClient.await;

/**
 * Two nodes whose event bus speaks TLS (mutual, one shared self-signed certificate): a
 * request from a client of one is served by a handler on the other.
 */
class EventBusTlsTest {

  @Test
  void requestsCrossNodesOverATlsEventBus() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("127.0.0.1");
    JsonObject tls = new JsonObject().put("certPath", certificate.certificatePath())
      .put("keyPath", certificate.privateKeyPath()).put("trustCertPath", certificate.certificatePath());
    String cluster = ClusterNodes.newClusterName();
    Node gateway = await(Node.start(ClusterNodes.gatewayNode(cluster).put("eventBusTls", tls)));
    Node handlers = await(Node.start(ClusterNodes.handlerNode(cluster, ClusterNodes.handler(BuiltinCommands.class, "over-tls"))
      .put("eventBusTls", tls)));
    Vertx clientVertx = Vertx.vertx();
    try {
      waitUntil("2 members", () -> gateway.clusterSize() == 2);
      TestClient client = await(TestClient.connect(clientVertx, gateway.gateway().port()));
      JsonObject res = await(client.request("echo", new JsonObject().put("secret", true)));
      assertEquals(200, res.getInteger("code"));
      assertEquals("over-tls", res.getString("src"));
    } finally {
      await(clientVertx.close());
      await(handlers.stop());
      await(gateway.stop());
      certificate.delete();
    }
  }
}
