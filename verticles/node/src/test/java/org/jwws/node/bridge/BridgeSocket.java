package org.jwws.node.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.jwws.gateway.TestClient;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;

/**
 * A raw TCP client of the bridge for the tests, a plain blocking socket: frames out as given,
 * frames in one at a time.
 */
final class BridgeSocket {

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private BridgeSocket(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout((int) TestClient.AWAIT_SECONDS * 1000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static BridgeSocket connect(int port) throws IOException {
    return new BridgeSocket(new Socket("127.0.0.1", port));
  }

  BridgeSocket send(JsonObject frame) throws IOException {
    Buffer json = frame.toBuffer();
    return sendBytes(Buffer.buffer().appendInt(json.length()).appendBuffer(json));
  }

  BridgeSocket sendBytes(Buffer bytes) throws IOException {
    out.write(bytes.getBytes());
    out.flush();
    return this;
  }

  /** The next frame from the bridge. */
  JsonObject next() throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return Buffer.buffer(frame).toJsonObject();
  }

  /** True once the bridge closed the connection (frames before the close are skipped). */
  boolean closedByBridge() throws IOException {
    try {
      while (in.read() >= 0) {
        // skip
      }
    } catch (EOFException | SocketException closed) {
      // reset by the peer: closed too
    }
    return true;
  }

  void close() throws IOException {
    socket.close();
  }
}
