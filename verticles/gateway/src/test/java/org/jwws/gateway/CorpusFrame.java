package org.jwws.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the fuzz corpus ({@code EXPECTED KIND PAYLOAD}, the format is described at the top
 * of {@code fuzz-corpus.txt}): the frame to send and the outcome PROTOCOL.md promises for it.
 */
final class CorpusFrame {

  private static final Pattern REPEAT = Pattern.compile("<<(\\d+)\\*(.*?)>>");

  final int line;
  final String expected;
  private final String kind;
  private final String payload;

  private CorpusFrame(int line, String expected, String kind, String payload) {
    this.line = line;
    this.expected = expected;
    this.kind = kind;
    this.payload = payload;
  }

  static List<CorpusFrame> load(String resource) throws IOException {
    String text;
    try (InputStream in = CorpusFrame.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<CorpusFrame> frames = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String entry = lines[i];
      if (entry.isBlank() || entry.startsWith("#")) {
        continue;
      }
      String[] parts = entry.split(" ", 3);
      if (parts.length < 2) {
        throw new IOException(resource + " line " + (i + 1) + ": EXPECTED KIND [PAYLOAD]");
      }
      frames.add(new CorpusFrame(i + 1, parts[0], parts[1], parts.length == 3 ? expand(parts[2]) : ""));
    }
    return frames;
  }

  /** {@code <<N*STR>>} becomes STR repeated N times. */
  private static String expand(String payload) {
    Matcher repeat = REPEAT.matcher(payload);
    StringBuilder out = new StringBuilder();
    while (repeat.find()) {
      repeat.appendReplacement(out, Matcher.quoteReplacement(repeat.group(2).repeat(Integer.parseInt(repeat.group(1)))));
    }
    return repeat.appendTail(out).toString();
  }

  void sendTo(TestClient client) {
    switch (kind) {
      case "text":
        client.sendText(payload);
        break;
      case "binary":
        client.sendFrame(WebSocketFrame.binaryFrame(Buffer.buffer(payload), true));
        break;
      case "bytes":
        client.sendFrame(WebSocketFrame.textFrame("", false));
        client.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(HexFormat.of().parseHex(payload)), true));
        break;
      case "stray":
        client.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("{}"), true));
        break;
      default:
        throw new IllegalArgumentException("line " + line + ": unknown kind " + kind);
    }
  }

  boolean silent() {
    return expected.equals("silent");
  }

  /** The close code expected, or null when the connection stays open. */
  Short closeCode() {
    return expected.startsWith("close:") ? Short.valueOf(expected.substring(6)) : null;
  }

  /** {@code res} or {@code ack}. */
  String expectedAction() {
    return expected.substring(0, expected.indexOf(':'));
  }

  int expectedCode() {
    return Integer.parseInt(expected.substring(expected.indexOf(':') + 1));
  }
}
