package org.jwws.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Assembles a connection's data frames into messages, enforcing the message size limit itself
 * (Vert.x alone silently drops an over-limit fragmented message) and decoding UTF-8 strictly.
 */
final class FrameAssembler {

  /** What a completed message turned out to be. */
  interface Sink {
    void text(String text);

    void rejected(String reason);

    void tooLarge();
  }

  private final int maxMessageSize;
  private final Sink sink;
  /** One strict decoder per connection, reset for each message; made with the first (idle connections never need one). */
  private CharsetDecoder utf8;
  private Buffer pending;
  private boolean pendingBinary;
  private int pendingSize;

  FrameAssembler(int maxMessageSize, Sink sink) {
    this.maxMessageSize = maxMessageSize;
    this.sink = sink;
  }

  void frame(WebSocketFrame frame) {
    if (frame.isText() || frame.isBinary()) {
      start(frame);
    } else if (frame.isContinuation()) {
      if (pending == null && !pendingBinary) {
        sink.rejected("continuation frame without a message to continue");
        return;
      }
      append(frame);
    }
  }

  private void start(WebSocketFrame frame) {
    pending = null;
    pendingSize = 0;
    pendingBinary = frame.isBinary();
    if (pendingBinary) {
      // binary data is never kept: the whole message is rejected once it is complete
      addSize(frame);
      if (frame.isFinal()) {
        completeBinary();
      }
      return;
    }
    if (frame.isFinal()) {
      if (addSize(frame)) {
        complete(frame.binaryData());
      }
      return;
    }
    pending = Buffer.buffer();
    append(frame);
  }

  private void append(WebSocketFrame frame) {
    if (!addSize(frame)) {
      return;
    }
    if (pendingBinary) {
      if (frame.isFinal()) {
        completeBinary();
      }
      return;
    }
    pending.appendBuffer(frame.binaryData());
    if (frame.isFinal()) {
      Buffer message = pending;
      pending = null;
      complete(message);
    }
  }

  private boolean addSize(WebSocketFrame frame) {
    pendingSize += frame.binaryData().length();
    if (pendingSize > maxMessageSize) {
      pending = null;
      pendingBinary = false;
      sink.tooLarge();
      return false;
    }
    return true;
  }

  private void completeBinary() {
    pendingBinary = false;
    sink.rejected("binary frames are not supported: send JSON text frames");
  }

  private void complete(Buffer message) {
    String text;
    try {
      text = decoder().reset().decode(ByteBuffer.wrap(message.getBytes())).toString();
    } catch (CharacterCodingException e) {
      sink.rejected("text frame is not valid UTF-8");
      return;
    }
    sink.text(text);
  }

  private CharsetDecoder decoder() {
    if (utf8 == null) {
      utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
    return utf8;
  }
}
