package org.jwws.node;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Logback setup of a node: {@value #LOCAL_FILE} when present, else the logback.xml packed in the
 * jar; {@code -Dlogback.configurationFile} wins over both. That file reads the format from
 * {@value #FORMAT}: {@code text} (default) or {@code json}. Vert.x, Netty and
 * Hazelcast (cluster.xml's hazelcast.logging.type) log through SLF4J: Vert.x and Netty pick it
 * themselves when a backend is on the classpath.
 */
final class Logging {

  static final String LOCAL_FILE = "conf/logback.xml";
  static final String CONFIG_PROPERTY = "logback.configurationFile";
  /** Read by logback.xml, as a system property or else an environment variable. */
  static final String FORMAT = "JWGW_LOG_FORMAT";

  private Logging() {
  }

  /** Before anything logs; an unknown format is an IllegalArgumentException, not silently text. */
  static void configure(Map<String, String> env) {
    String format = System.getProperty(FORMAT, env.getOrDefault(FORMAT, "text"));
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException(FORMAT + " must be text or json, not \"" + format + "\"");
    }
    Path local = Path.of(LOCAL_FILE);
    if (System.getProperty(CONFIG_PROPERTY) == null && Files.isRegularFile(local)) {
      System.setProperty(CONFIG_PROPERTY, local.toAbsolutePath().toString());
    }
    // start Logback now: Vert.x would start it later with System.err muted, hiding config errors
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
      // whatever logback.xml the user gives, a routine member loss stays quiet
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      MemberLossNoise noise = new MemberLossNoise();
      noise.setContext(context);
      noise.start();
      context.addTurboFilter(noise);
    }
    // whatever still logs through java.util.logging (the JDK, a library) goes to Logback too
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }
}
