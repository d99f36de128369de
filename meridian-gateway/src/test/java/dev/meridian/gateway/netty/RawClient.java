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

  /** What one read returns (waits for the first bytes). */
  String readAvailable() throws IOException {
    byte[] buf = new byte[8192];
    int n = socket.getInputStream().read(buf);
    return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** Reads until the text read so far ends with {@code suffix} (the connection stays open). */
  String readUntilEndsWith(String suffix) throws IOException {
    StringBuilder out = new StringBuilder();
    while (!out.toString().endsWith(suffix)) {
      String more = readAvailable();
      if (more.isEmpty()) {
        break;
      }
      out.append(more);
    }
    return out.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
