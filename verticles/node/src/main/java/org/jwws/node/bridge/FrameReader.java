package org.jwws.node.bridge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * Cuts the bridge's byte stream into frames: a 4-byte big-endian length, then that many bytes.
 * A length over the limit is refused from the header, before anything of the frame is buffered.
 */
final class FrameReader implements Handler<Buffer> {

  private static final int HEADER = 4;

  private final RecordParser parser = RecordParser.newFixed(HEADER);
  private final int maxFrameSize;
  private boolean inFrame;
  private boolean stopped;

  /**
   * @param frame called with each complete frame's bytes
   * @param garbage called once with the reason when the stream cannot be read further
   */
  FrameReader(int maxFrameSize, Handler<Buffer> frame, Handler<String> garbage) {
    this.maxFrameSize = maxFrameSize;
    parser.handler(record -> {
      if (stopped) {
        return;
      }
      if (inFrame) {
        inFrame = false;
        parser.fixedSizeMode(HEADER);
        frame.handle(record);
        return;
      }
      int length = record.getInt(0);
      if (length <= 0 || length > maxFrameSize) {
        stopped = true;
        garbage.handle(length <= 0 ? "frame length " + length : "frame of " + length + " bytes over " + maxFrameSize);
        return;
      }
      inFrame = true;
      parser.fixedSizeMode(length);
    });
  }

  /** Nothing more is read after this, e.g. once the client is being closed. */
  void stop() {
    stopped = true;
  }

  @Override
  public void handle(Buffer bytes) {
    if (!stopped) {
      parser.handle(bytes);
    }
  }
}
