package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.GatewayOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Large bodies stream through in both directions (nothing is aggregated on the way). */
class StreamingTest {

  private static final long SIZE = 20L * 1024 * 1024;

  private final TestBackend a = new TestBackend("a");

  @AfterEach
  void stop() {
    a.close();
  }

  @Test
  void uploadsAndDownloads20MegabytesThroughTheProxy() throws Exception {
    try (GatewayFixture gw = new GatewayFixture(head -> TestRoutes.forward(a))) {
      // When: upload with unknown length (chunked), then download
      HttpResponse<String> up =
          gw.client.send(
              HttpRequest.newBuilder(gw.uri("/upload"))
                  .POST(HttpRequest.BodyPublishers.fromPublisher(zeros(SIZE)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<InputStream> down = download(gw);
      long read = drain(down.body());
      // Then
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).isEqualTo("a bytes=" + SIZE);
      assertThat(down.statusCode()).isEqualTo(200);
      assertThat(read).isEqualTo(SIZE);
    }
  }

  @Test
  void stopsReadingTheBackendWhileTheClientDoesNotRead() throws Exception {
    // Given
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (GatewayFixture gw =
        new GatewayFixture(
            GatewayOptions.builder("127.0.0.1", 0).eventLoops(1).build(),
            head -> TestRoutes.forward(a),
            registry)) {
      // When: a client asks for more than the kernel buffers hold, and does not read
      long size = 64L * 1024 * 1024;
      double pauses = 0;
      long read;
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(gw.gateway.address(), 2000);
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write(
                ("GET /big?n=" + size + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 500 && pauses == 0; i++) {
          Thread.sleep(20);
          pauses = backendPauses(registry);
        }
        read = drain(socket.getInputStream());
      }
      // Then: the gateway stopped reading the backend instead of buffering, and nothing was lost
      assertThat(pauses).isPositive();
      assertThat(read).isGreaterThan(size); // head and body
    }
  }

  private static double backendPauses(SimpleMeterRegistry registry) {
    return registry
        .get("meridian.gateway.backpressure.pauses")
        .tag("paused", "backend")
        .counter()
        .count();
  }

  private static HttpResponse<InputStream> download(GatewayFixture gw) throws Exception {
    return gw.client.send(
        HttpRequest.newBuilder(gw.uri("/big?n=" + SIZE)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  private static long drain(InputStream body) throws Exception {
    long read = 0;
    try (InputStream in = body) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) >= 0) {
        read += n;
      }
    }
    return read;
  }

  private static Flow.Publisher<java.nio.ByteBuffer> zeros(long size) {
    byte[] chunk = new byte[64 * 1024];
    return HttpRequest.BodyPublishers.ofInputStream(
        () ->
            new InputStream() {
              long left = size;

              @Override
              public int read() {
                if (left == 0) {
                  return -1;
                }
                left--;
                return 0;
              }

              @Override
              public int read(byte[] b, int off, int len) {
                if (left == 0) {
                  return -1;
                }
                int n = (int) Math.min(len, Math.min(left, chunk.length));
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
              }
            });
  }
}
