package org.jwws.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * One log line when a connection opens and one, with its close code, when it closes; never a payload.
 */
class ConnectionLogTest extends GatewayTestBase {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      lines.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  private Level previous;

  @BeforeEach
  void capture() {
    previous = Connection.CONNECTIONS.getLevel();
    Connection.CONNECTIONS.setLevel(Level.INFO);
    Connection.CONNECTIONS.addHandler(capture);
  }

  @AfterEach
  void release() {
    Connection.CONNECTIONS.removeHandler(capture);
    Connection.CONNECTIONS.setLevel(previous);
  }

  @Test
  void openAndCloseAreLoggedWithTheCloseCodeAndNoPayload() {
    TestClient client = client();
    await(client.request("echo", new io.vertx.core.json.JsonObject().put("secret", "do-not-log")));
    await(client.close());
    waitUntil("the close is logged", () -> lines.stream().anyMatch(line -> line.startsWith("close ")));
    assertTrue(lines.stream().anyMatch(line -> line.startsWith("open jw.conn.") && line.contains("127.0.0.1")), lines.toString());
    assertTrue(lines.stream().anyMatch(line -> line.startsWith("close jw.conn.") && line.contains("code 1000")), lines.toString());
    assertTrue(lines.stream().noneMatch(line -> line.contains("do-not-log")), "no payload in the log");
  }
}
