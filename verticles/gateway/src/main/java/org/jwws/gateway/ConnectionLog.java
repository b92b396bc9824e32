package org.jwws.gateway;

import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The connections log: one line per WebSocket opened and closed, never a payload. The message
 * reads on its own; the same facts are key/values too (conn, remote, principal, code, reason,
 * durationMs), which JSON lines carry as fields. Set the logger to WARN to silence it.
 */
final class ConnectionLog {

  static final String NAME = "org.jwws.gateway.connections";
  private static final Logger log = LoggerFactory.getLogger(NAME);

  private ConnectionLog() {
  }

  /** {@code subject} is null for an anonymous connection. */
  static void opened(String conn, SocketAddress remote, String subject) {
    if (!log.isInfoEnabled()) {
      return;
    }
    LoggingEventBuilder line = log.atInfo().addKeyValue("conn", conn).addKeyValue("remote", String.valueOf(remote));
    if (subject != null) {
      line.addKeyValue("principal", subject);
    }
    line.log("open " + conn + " from " + remote + (subject == null ? "" : " as " + subject));
  }

  /** {@code code} is null when the connection was lost without a close frame. */
  static void closed(String conn, Short code, String reason, long durationMs) {
    if (!log.isInfoEnabled()) {
      return;
    }
    LoggingEventBuilder line = log.atInfo().addKeyValue("conn", conn);
    if (code != null) {
      line.addKeyValue("code", code.intValue());
    }
    boolean hasReason = reason != null && !reason.isEmpty();
    if (hasReason) {
      line.addKeyValue("reason", reason);
    }
    line.addKeyValue("durationMs", durationMs)
      .log("close " + conn + " code " + (code == null ? "none (connection lost)" : code)
        + (hasReason ? " reason \"" + printable(reason) + "\"" : "") + " after " + durationMs + " ms");
  }

  /** The client chooses the reason: no line breaks or other control characters in a text line. */
  private static String printable(String text) {
    return text.replaceAll("\\p{Cntrl}", "?");
  }
}
