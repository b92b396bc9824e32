package org.jwws.gateway;

import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.jwws.shared.Backend;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;
import static org.jwws.gateway.TestClient.refusedWith;
import static org.jwws.gateway.TestClient.req;

/**
 * JWT authentication at the upgrade and role rules per frame; {@code alerts} is a
 * backend-only topic users may read but not write.
 */
class AccessControlTest extends GatewayTestBase {

  private static final String SECRET = "a-shared-secret-for-tests-only-0123456789";
  private static final String ISSUER = "https://id.example.com";
  private static final String AUDIENCE = "jw-gateway";

  @Override
  protected GatewayOptions options() {
    return super.options().setAccess(new JsonObject()
      .put("hs256Secret", SECRET)
      .put("issuer", ISSUER)
      .put("audience", AUDIENCE)
      .put("rules", new JsonArray()
        .add(new JsonObject().put("roles", new JsonArray().add("user"))
          .put("commands", new JsonArray().add("echo").add("whoami"))
          .put("subscribe", new JsonArray().add("news.*").add("alerts"))
          .put("publish", new JsonArray().add("news.*")))
        .add(new JsonObject().put("roles", new JsonArray().add("admin"))
          .put("monitor", true)
          .put("commands", new JsonArray().add("*"))
          .put("subscribe", new JsonArray().add("*"))
          .put("publish", new JsonArray().add("*")))))
      .addHistory(new HistoryRule("*", 10, 60_000))
      .addPresence("*");
  }

  private String token(String subject, String role, long expiresInSeconds) {
    return signed(new JsonObject().put("sub", subject).put("roles", new JsonArray().add(role)),
      new JWTOptions().setExpiresInSeconds((int) expiresInSeconds).setIssuer(ISSUER).setAudience(List.of(AUDIENCE)));
  }

  /** A token signed with the gateway's secret: only its claims can be wrong. */
  private String signed(JsonObject claims, JWTOptions options) {
    JWTAuth issuer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    return issuer.generateToken(claims, options);
  }

  private int upgradeWith(String token) {
    return refusedWith(TestClient.connect(vertx, upgrade("/ws").addHeader("Authorization", "Bearer " + token)));
  }

  @Test
  void tokenExpiredAtTheUpgradeIs401() {
    long now = System.currentTimeMillis() / 1000;
    String expired = signed(new JsonObject().put("sub", "bob").put("roles", new JsonArray().add("user"))
      .put("iat", now - 120).put("exp", now - 60), new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE)));
    assertEquals(401, upgradeWith(expired));
    assertEquals(0, gateway.stats().connections());
  }

  @Test
  void unsignedAlgNoneTokenIs401() {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    long exp = System.currentTimeMillis() / 1000 + 60;
    String payload = base64.encodeToString(new JsonObject().put("sub", "mallory").put("roles", new JsonArray().add("admin"))
      .put("iss", ISSUER).put("aud", AUDIENCE).put("exp", exp).encode().getBytes(StandardCharsets.UTF_8));
    assertEquals(401, upgradeWith(header + "." + payload + "."));
    // the same unsigned token with a signature of another token pasted on
    String signature = token("alice", "user", 60).split("\\.")[2];
    assertEquals(401, upgradeWith(header + "." + payload + "." + signature));
    assertEquals(0, gateway.stats().connections());
  }

  @Test
  void tokenForAnotherAudienceOrIssuerIs401() {
    JsonObject claims = new JsonObject().put("sub", "alice").put("roles", new JsonArray().add("user"));
    assertEquals(401, upgradeWith(signed(claims.copy(), new JWTOptions().setExpiresInSeconds(60)
      .setIssuer(ISSUER).setAudience(List.of("another-service")))), "another audience");
    assertEquals(401, upgradeWith(signed(claims.copy(), new JWTOptions().setExpiresInSeconds(60)
      .setIssuer(ISSUER))), "no audience");
    assertEquals(401, upgradeWith(signed(claims.copy(), new JWTOptions().setExpiresInSeconds(60)
      .setIssuer("https://evil.example").setAudience(List.of(AUDIENCE)))), "another issuer");
    assertEquals(401, upgradeWith(signed(claims.copy(), new JWTOptions().setExpiresInSeconds(60)
      .setAudience(List.of(AUDIENCE)))), "no issuer");
    TestClient right = await(TestClient.connect(vertx, upgrade("/ws").addHeader("Authorization", "Bearer " + token("alice", "user", 60))));
    assertEquals(200, await(right.request("echo", null)).getInteger("code"));
    await(right.close());
  }

  private WebSocketConnectOptions upgrade(String uri) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port()).setURI(uri);
  }

  private TestClient connectAs(String subject, String role) {
    return await(TestClient.connect(vertx, upgrade("/ws").addHeader("Authorization", "Bearer " + token(subject, role, 60))));
  }

  @Test
  void statsAndMetricsNeedATokenWithTheMonitorPermission() {
    HttpClient http = vertx.createHttpClient();
    for (String path : List.of("/stats", "/metrics")) {
      assertEquals(401, status(http, path, null), path + " without a token");
      assertEquals(401, status(http, path, "not.a.token"), path + " with a bad token");
      assertEquals(403, status(http, path, token("alice", "user", 60)), path + " for a role without monitor");
      assertEquals(200, status(http, path, token("root", "admin", 60)), path + " for a monitor");
      assertEquals(200, status(http, path + "?token=" + token("root", "admin", 60), null), path + " with the token in the query");
    }
  }

  private int status(HttpClient http, String uri, String token) {
    return await(http.request(HttpMethod.GET, gateway.port(), "127.0.0.1", uri).compose(request -> {
      if (token != null) {
        request.putHeader("Authorization", "Bearer " + token);
      }
      return request.send();
    }).map(HttpClientResponse::statusCode));
  }

  @Test
  void upgradeWithoutAValidTokenIs401() {
    assertEquals(401, refusedWith(TestClient.connect(vertx, upgrade("/ws"))));
    assertEquals(401, refusedWith(TestClient.connect(vertx, upgrade("/ws").addHeader("Authorization", "Bearer not.a.token"))));
    String forged = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer("some-other-secret-entirely-0123456789abcdef")))
      .generateToken(new JsonObject().put("sub", "mallory").put("roles", new JsonArray().add("admin")));
    assertEquals(401, refusedWith(TestClient.connect(vertx, upgrade("/ws").addHeader("Authorization", "Bearer " + forged))));
    assertEquals(0, gateway.stats().connections());
  }

  @Test
  void tokenInTheQueryForBrowsersAndThePrincipalReachesHandlers() {
    Promise<Message<JsonObject>> seen = Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer("cmd.whoami", msg -> {
      seen.tryComplete(msg);
      msg.reply(new JsonObject());
    }).completion());
    TestClient browser = await(TestClient.connect(vertx, upgrade("/ws?token=" + token("alice", "user", 60))));
    assertEquals(200, await(browser.request("whoami", null)).getInteger("code"));
    JsonObject principal = new JsonObject(await(seen.future()).headers().get("jw-principal"));
    assertEquals("alice", principal.getString("sub"));
    assertEquals(new JsonArray().add("user"), principal.getJsonArray("roles"));
    assertEquals("alice", principal.getJsonObject("claims").getString("sub"));
  }

  @Test
  void rulesAnswer403AndBackendOnlyTopicsAreReadOnlyForClients() {
    TestClient alice = connectAs("alice", "user");
    alice.send(req("sleep", "s", null));
    JsonObject forbidden = await(alice.next());
    assertEquals(403, forbidden.getInteger("code"));
    assertEquals("sleep", forbidden.getString("command"));
    assertEquals("s", forbidden.getValue("id"));
    assertEquals(200, await(alice.request("echo", null)).getInteger("code"));

    alice.send(new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", new JsonArray().add("news.eu").add("admin.audit")).put("id", 1));
    assertEquals(403, await(alice.next()).getInteger("code"));
    assertEquals(0, gateway.stats().subscriptions(), "nothing of a refused frame is subscribed");

    JsonObject ack = await(alice.subscribe("news.eu", "alerts"));
    assertEquals(200, ack.getInteger("code"));
    alice.send(TestClient.pub("alerts", "fake alert").put("id", 2));
    JsonObject refused = await(alice.next());
    assertEquals(403, refused.getInteger("code"));
    assertEquals(2, refused.getValue("id"));
    Backend.create(vertx, "monitor").publish("alerts", 200, "disk full", List.of());
    assertEquals("disk full", await(alice.next()).getString("msg"), "the backend writes, clients read");
    assertTrue(alice.pending().isEmpty());

    TestClient root = connectAs("root", "admin");
    assertEquals(200, await(root.request("sleep", new JsonObject().put("ms", 1))).getInteger("code"));
    await(alice.close());
    await(root.close());
  }

  @Test
  void historyRecoveryAndPresenceNeedTheSubscribePermission() {
    TestClient alice = connectAs("alice", "user");
    alice.send(V2Frames.sub("admin.audit", "s", V2Frames.since("admin.audit", 0, "e")));
    assertEquals(403, V2Frames.ackOf(alice, "s").getInteger("code"));
    for (String action : List.of("history", "presence")) {
      alice.send(new JsonObject().put("mode", "pub_sub").put("action", action).put("topic", "admin.audit").put("id", action));
      JsonObject refused = V2Frames.ackOf(alice, action);
      assertEquals(403, refused.getInteger("code"), action);
      assertEquals(new JsonArray().add("admin.audit"), refused.getJsonArray("topic"));
    }
    alice.send(new JsonObject().put("mode", "pub_sub").put("action", "history").put("topic", "news.eu").put("id", "ok"));
    assertEquals(200, V2Frames.ackOf(alice, "ok").getInteger("code"), "permitted where sub is");
    assertEquals(0, gateway.stats().subscriptions());
    await(alice.close());
  }

  @Test
  void connectionIsClosedWith1008WhenItsTokenExpires() {
    TestClient shortLived = await(TestClient.connect(vertx, upgrade("/ws").addHeader("Authorization", "Bearer " + token("bob", "user", 3))));
    assertEquals(200, await(shortLived.request("echo", null)).getInteger("code"));
    assertEquals((short) 1008, await(shortLived.closed()));
  }
}
