package dev.meridian.gateway.netty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw-socket HTTP client for inputs no well-behaved client sends. */
final class RawClient implements AutoCloseable {

  private final Socket socket = new Socket();

  RawClient(InetSocketAddress address) throws IOException {
    socket.connect(address, 2000);
    socket.setSoTimeout(5000);
  }

  RawClient send(String raw) throws IOException {
    socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Everything until the server closes (or 5 s pass). */
  String readUntilClosed() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      return out.toString(StandardCharsets.ISO_8859_1) + "<<still open>>";
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
