package org.jwws.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The node's logback.xml (conf/logback.xml, packed as the jar's logback.xml), loaded by Joran in a
 * context of its own: text lines by default, JSON lines with JWGW_LOG_FORMAT=json, the documented
 * levels.
 */
class LogFormatTest {

  private static final String CONNECTIONS = "org.jwws.gateway.connections";

  @Test
  void jsonFormatWritesOneJsonObjectPerLineWithTheKeyValues() throws Exception {
    List<String> lines = logged("json", log -> {
      log.atInfo().addKeyValue("conn", "jw.conn.1").addKeyValue("code", 1000).log("close jw.conn.1 code 1000");
      log.warn("two\nlines", new IllegalStateException("boom"));
    });
    assertEquals(2, lines.size(), lines.toString());

    JsonObject close = new JsonObject(lines.get(0));
    assertEquals("INFO", close.getString("level"));
    assertEquals(CONNECTIONS, close.getString("logger"));
    assertEquals(Thread.currentThread().getName(), close.getString("thread"));
    assertEquals("close jw.conn.1 code 1000", close.getString("message"));
    assertEquals("jw.conn.1", close.getString("conn"));
    assertEquals(1000, close.getInteger("code"));
    assertTrue(close.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*"), close.encode());

    JsonObject warning = new JsonObject(lines.get(1));
    assertEquals("WARN", warning.getString("level"));
    assertEquals("two\nlines", warning.getString("message"));
    assertTrue(warning.getString("stack_trace").contains("IllegalStateException: boom"), warning.encode());
  }

  @Test
  void textFormatIsTheDefault() throws Exception {
    assumeTrue(System.getenv(Logging.FORMAT) == null && System.getProperty(Logging.FORMAT) == null, "no format chosen outside");
    List<String> lines = logged(null, log -> log.atInfo().addKeyValue("conn", "jw.conn.1").log("open jw.conn.1 from 127.0.0.1:5000"));
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[" + CONNECTIONS
      + "] open jw.conn.1 from 127.0.0.1:5000"), lines.get(0));
  }

  @Test
  void levelsAreTheDocumentedOnes() throws Exception {
    LoggerContext context = configured("text");
    try {
      // Vert.x's own discard warnings stay visible (INFO from root): no logger hides a loss
      Map<String, Level> expected = Map.of(Logger.ROOT_LOGGER_NAME, Level.INFO, "com.hazelcast", Level.WARN,
        "io.vertx.core.eventbus.impl.MessageConsumerImpl", Level.INFO, "org.jwws", Level.INFO, CONNECTIONS, Level.INFO);
      expected.forEach((name, level) -> assertEquals(level, context.getLogger(name).getEffectiveLevel(), name));
    } finally {
      context.stop();
    }
  }

  @Test
  void anUnknownFormatIsRefusedBeforeLogbackStarts() {
    assumeTrue(System.getProperty(Logging.FORMAT) == null, "no format chosen outside");
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
      () -> Logging.configure(Map.of(Logging.FORMAT, "JSON")));
    assertTrue(refused.getMessage().contains("text or json"), refused.getMessage());
  }

  /** The node's config in a new context; {@code format} as JWGW_LOG_FORMAT, or unset when null. */
  private static LoggerContext configured(String format) throws JoranException {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    if (format != null) {
      context.putProperty(Logging.FORMAT, format);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormatTest.class.getClassLoader().getResource("logback.xml"));
    return context;
  }

  /**
   * The lines the console appender chosen by the config writes for what {@code logging} logs on
   * the connections logger: its own encoder, into memory instead of stdout.
   */
  private static List<String> logged(String format, Consumer<org.slf4j.Logger> logging) throws JoranException {
    LoggerContext context = configured(format);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    String chosen = format == null ? "text" : format;
    @SuppressWarnings("unchecked")
    OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender(chosen);
    assertNotNull(console, "appender " + chosen);
    assertNull(root.getAppender(chosen.equals("text") ? "json" : "text"), "only the chosen appender");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> memory = new OutputStreamAppender<>();
    memory.setContext(context);
    memory.setEncoder(console.getEncoder());
    memory.setOutputStream(out);
    memory.start();
    root.detachAppender(console);
    root.addAppender(memory);
    try {
      logging.accept(context.getLogger(CONNECTIONS));
    } finally {
      context.stop();
    }
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
