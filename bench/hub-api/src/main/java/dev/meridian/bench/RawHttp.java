package dev.meridian.bench;

import dev.meridian.bench.support.HubClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One kept-alive HTTP/1.1 connection (plain or TLS), used by one client thread, blocking.
 *
 * <p>Why not {@code java.net.http.HttpClient}: its shared pool and single selector thread decide
 * how many connections exist and add their own queueing and CPU on a 2-core machine. Here every
 * client owns exactly one socket, so 64 clients are 64 real concurrent connections, and the client
 * side costs one write and a few reads per request. The request head is built once per kind of
 * request; the response is parsed just enough (status, Content-Length or chunked, Connection).
 */
final class RawHttp implements Closeable {
  /** A request's status and, if asked for, its body. */
  record Response(int status, byte[] body) {
    String bodyText() {
      return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final int TIMEOUT_MILLIS = 30_000;

  private final String host;
  private final int port;
  private final String authorization;
  private final SSLSocketFactory tls;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final byte[] discard = new byte[16 * 1024];
  private final StringBuilder line = new StringBuilder(128);

  /** Connections opened, including reconnects after the server closed one. */
  private int connects;

  /**
   * @param tls for an {@code https} base: the factory from {@link #tls}; null for {@code http}
   */
  RawHttp(URI base, String token, SSLSocketFactory tls) {
    this.host = base.getHost();
    boolean https = base.getScheme().equals("https");
    this.port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
    this.authorization = "Bearer " + token;
    this.tls = https ? Objects.requireNonNull(tls, "https needs a TLS socket factory") : null;
  }

  /**
   * A TLS client trusting {@code caFile} (PEM) and checking the server's name, as a real client
   * would; with no CA file, one that trusts any certificate (loopback benchmarking only).
   */
  static SSLSocketFactory tls(Path caFile) throws IOException {
    if (caFile != null) {
      return HubClient.trusting(caFile).getSocketFactory();
    }
    try {
      X509TrustManager any =
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          };
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {any}, null);
      return ctx.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e, e);
    }
  }

  int connects() {
    return connects;
  }

  /** The bytes of a request without a body. */
  byte[] get(String path) {
    return head("GET", path, -1, null);
  }

  /** The bytes of a request with a JSON body. */
  byte[] post(String path, byte[] json) {
    byte[] head = head("POST", path, json.length, "application/json");
    byte[] all = new byte[head.length + json.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(json, 0, all, head.length, json.length);
    return all;
  }

  private byte[] head(String method, String path, int contentLength, String contentType) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(host).append(':').append(port).append("\r\n");
    sb.append("Authorization: ").append(authorization).append("\r\n");
    sb.append("Accept: application/json\r\n");
    if (contentLength >= 0) {
      sb.append("Content-Type: ").append(contentType).append("\r\n");
      sb.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends {@code request} (from {@link #get} or {@link #post}) and reads the whole response.
   *
   * @param keepBody whether to return a successful response's body (otherwise it is read and
   *     dropped; an error's body is always returned)
   */
  Response send(byte[] request, boolean keepBody) throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      out.write(request);
      out.flush();
      return read(keepBody);
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** Opens the connection now (so that a phase's clock does not include the TCP handshake). */
  void open() throws IOException {
    if (socket == null) {
      connect();
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(TIMEOUT_MILLIS);
    s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
    if (tls != null) {
      SSLSocket ssl = (SSLSocket) tls.createSocket(s, host, port, true);
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.setSSLParameters(params);
      ssl.startHandshake();
      s = ssl;
    }
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
    out = s.getOutputStream();
    connects++;
  }

  private Response read(boolean keepBody) throws IOException {
    String status = readLine();
    // "HTTP/1.1 201 Created"
    if (!status.startsWith("HTTP/1.") || status.length() < 12) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = status.startsWith("HTTP/1.0");
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        chunked = value.toLowerCase().contains("chunked");
      } else if (name.equalsIgnoreCase("connection")) {
        close = value.equalsIgnoreCase("close");
      }
    }
    // error bodies are always kept: they say what went wrong
    ByteArrayOutputStream body = keepBody || code >= 300 ? new ByteArrayOutputStream() : null;
    if (chunked) {
      while (true) {
        String size = readLine();
        int semi = size.indexOf(';');
        long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
        if (n == 0) {
          while (!readLine().isEmpty()) {
            // trailers
          }
          break;
        }
        copy(n, body);
        readLine();
      }
    } else if (length >= 0) {
      copy(length, body);
    } else {
      // no length: the body runs to the end of the connection
      copy(Long.MAX_VALUE, body);
      close = true;
    }
    if (close) {
      close();
    }
    return new Response(code, body == null ? null : body.toByteArray());
  }

  private void copy(long n, ByteArrayOutputStream to) throws IOException {
    long left = n;
    while (left > 0) {
      int r = in.read(discard, 0, (int) Math.min(discard.length, left));
      if (r < 0) {
        if (n == Long.MAX_VALUE) {
          return;
        }
        throw new EOFException("connection closed inside a response body");
      }
      if (to != null) {
        to.write(discard, 0, r);
      }
      left -= r;
    }
  }

  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (c == '\n') {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
          line.setLength(len - 1);
        }
        return line.toString();
      }
      line.append((char) c);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
      in = null;
      out = null;
    }
  }
}
