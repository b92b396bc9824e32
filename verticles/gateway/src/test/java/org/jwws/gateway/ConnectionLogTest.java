package org.jwws.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * One log event when a connection opens and one, with its close code and reason, when it
 * closes: a readable message and the same facts as key/values; never a payload.
 */
class ConnectionLogTest extends GatewayTestBase {

  private static final String SECRET = "do-not-log";

  private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionLog.NAME);
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Level previous;

  @BeforeEach
  void capture() {
    previous = logger.getLevel();
    logger.setLevel(Level.INFO);
    // captured only: the test config keeps the console quiet
    logger.setAdditive(false);
    events.start();
    logger.addAppender(events);
  }

  @AfterEach
  void release() {
    logger.detachAppender(events);
    logger.setAdditive(true);
    logger.setLevel(previous);
  }

  @Test
  void openAndCloseCarryTheConnectionTheCodeAndNoPayload() {
    TestClient client = client();
    await(client.request("echo", new JsonObject().put("secret", SECRET)));
    client.send(TestClient.pub("news", new JsonObject().put("secret", SECRET)));
    await(client.close());
    ILoggingEvent close = awaitEvent("close ");

    ILoggingEvent open = event("open ");
    Map<String, Object> opened = keyValues(open);
    String conn = (String) opened.get("conn");
    assertTrue(conn.startsWith("jw.conn."), opened.toString());
    assertTrue(((String) opened.get("remote")).startsWith("127.0.0.1:"), opened.toString());
    assertFalse(opened.containsKey("principal"), "anonymous: no principal");
    assertEquals("open " + conn + " from " + opened.get("remote"), open.getFormattedMessage());
    assertEquals(Level.INFO, open.getLevel());

    Map<String, Object> closed = keyValues(close);
    assertEquals(conn, closed.get("conn"));
    assertEquals(1000, closed.get("code"));
    assertTrue((Long) closed.get("durationMs") >= 0, closed.toString());
    assertTrue(close.getFormattedMessage().startsWith("close " + conn + " code 1000"), close.getFormattedMessage());
    assertNoPayload();
  }

  @Test
  void aCloseByTheGatewayCarriesItsReason() {
    TestClient client = client();
    client.sendText(TestClient.req("echo", 1, new JsonObject()
      .put("secret", SECRET.repeat(GatewayOptions.DEFAULT_MAX_FRAME_SIZE / SECRET.length() + 1))).encode());
    assertEquals((short) 1009, await(client.closed()));
    ILoggingEvent close = awaitEvent("close ");

    Map<String, Object> closed = keyValues(close);
    assertEquals(1009, closed.get("code"));
    String reason = (String) closed.get("reason");
    assertTrue(reason.endsWith(GatewayOptions.DEFAULT_MAX_FRAME_SIZE + " bytes"), closed.toString());
    assertTrue(close.getFormattedMessage().contains(" reason \"" + reason + "\""), close.getFormattedMessage());
    assertNoPayload();
  }

  private ILoggingEvent awaitEvent(String prefix) {
    waitUntil("a \"" + prefix + "\" event", () -> snapshot().stream().anyMatch(e -> e.getFormattedMessage().startsWith(prefix)));
    return event(prefix);
  }

  private ILoggingEvent event(String prefix) {
    return snapshot().stream().filter(e -> e.getFormattedMessage().startsWith(prefix)).findFirst()
      .orElseThrow(() -> new AssertionError("no \"" + prefix + "\" event in " + snapshot()));
  }

  private List<ILoggingEvent> snapshot() {
    synchronized (events) {
      return List.copyOf(events.list);
    }
  }

  private void assertNoPayload() {
    for (ILoggingEvent event : snapshot()) {
      assertFalse(event.getFormattedMessage().contains(SECRET), event.getFormattedMessage());
      assertFalse(keyValues(event).toString().contains(SECRET), keyValues(event).toString());
    }
  }

  private static Map<String, Object> keyValues(ILoggingEvent event) {
    Map<String, Object> map = new HashMap<>();
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        map.put(pair.key, pair.value);
      }
    }
    return map;
  }
}
