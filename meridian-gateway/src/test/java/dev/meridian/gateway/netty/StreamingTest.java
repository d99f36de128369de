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
      long read = drain(down.body(), 0);
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
      HttpResponse<InputStream> down = download(gw);
      // When: the client reads 1 MB, then nothing for a while, then the rest
      long read = drain(down.body(), 1024 * 1024);
      // Then: every byte arrived, and the gateway paused the backend instead of buffering
      assertThat(read).isEqualTo(SIZE);
      assertThat(
              registry
                  .get("meridian.gateway.backpressure.pauses")
                  .tag("paused", "backend")
                  .counter()
                  .count())
          .isPositive();
    }
  }

  private static HttpResponse<InputStream> download(GatewayFixture gw) throws Exception {
    return gw.client.send(
        HttpRequest.newBuilder(gw.uri("/big?n=" + SIZE)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Reads to the end; pauses 300 ms once {@code pauseAfter} bytes were read (0: never). */
  private static long drain(InputStream body, long pauseAfter) throws Exception {
    long read = 0;
    try (InputStream in = body) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) >= 0) {
        read += n;
        if (pauseAfter > 0 && read >= pauseAfter && read - n < pauseAfter) {
          Thread.sleep(300);
        }
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
