package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.GatewayOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Over real sockets: what a bad client gets, and that the backend never sees it. */
class BadInputTest {

  private final TestBackend a = new TestBackend("a");
  private final GatewayFixture gw =
      new GatewayFixture(
          GatewayOptions.builder("127.0.0.1", 0)
              .eventLoops(1)
              .maxHeaderBytes(4096)
              .maxBodyBytes(1000)
              .build(),
          head -> TestRoutes.forward(a),
          new SimpleMeterRegistry());

  @AfterEach
  void stop() {
    gw.close();
    a.close();
  }

  private String exchange(String raw) throws Exception {
    try (RawClient c = new RawClient(gw.gateway.address())) {
      return c.send(raw).readUntilClosed();
    }
  }

  @Test
  void smugglingAttemptIsRefusedAndNeverForwarded() throws Exception {
    // When
    String r =
        exchange(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    // Then
    assertThat(r).startsWith("HTTP/1.1 400 ").doesNotContain("<<still open>>");
    assertThat(a.requests.get()).isZero();
  }

  @Test
  void badRequestLineGets400AndClose() throws Exception {
    assertThat(exchange("GARBAGE\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .doesNotContain("still open");
    assertThat(a.requests.get()).isZero();
  }

  @Test
  void oversizedHeadersGet431() throws Exception {
    String r = exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(5000) + "\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 431 ");
    assertThat(a.requests.get()).isZero();
  }

  @Test
  void oversizedBodiesGet413DeclaredOrStreamed() throws Exception {
    // Given / When
    String declared = exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
    String chunked =
        exchange(
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3e8\r\n"
                + "a".repeat(1000)
                + "\r\n"
                + "1\r\nb\r\n0\r\n\r\n");
    // Then
    assertThat(declared).startsWith("HTTP/1.1 413 ");
    assertThat(chunked).startsWith("HTTP/1.1 413 ");
  }

  @Test
  void theGatewayKeepsServingAfterBadClients() throws Exception {
    // Given
    exchange("\u0000\u0001\u0002garbage\r\n\r\n");
    exchange("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
    // When
    String ok = exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    // Then
    assertThat(ok).startsWith("HTTP/1.1 200 ").endsWith("a bytes=0");
  }

  @Test
  void answers100ContinueItselfAndForwardsTheBody() throws Exception {
    try (RawClient c = new RawClient(gw.gateway.address())) {
      // When
      c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
      String interim = c.readAvailable();
      String end = c.send("abc").readUntilEndsWith("a bytes=3");
      // Then
      assertThat(interim).startsWith("HTTP/1.1 100 Continue");
      assertThat(end).contains("HTTP/1.1 200 ").endsWith("a bytes=3");
      assertThat(a.seenHeaders.poll().contains("Expect")).isFalse();
    }
  }

  @Test
  void keepsTheClientConnectionForSeveralRequests() throws Exception {
    // When: two requests in one write (pipelined), the second closes
    String r =
        exchange(
            "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    // Then
    assertThat(r.split("HTTP/1.1 200 ", -1)).hasSize(3);
    assertThat(a.requests.get()).isEqualTo(2);
  }
}
