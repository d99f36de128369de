package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.GatewayOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code upstreamHttp2} option: requests multiplexed as streams on one backend connection. */
class Http2UpstreamTest {

  private final TestBackend h2 = new TestBackend("h2", null, true);

  @AfterEach
  void stop() {
    h2.close();
  }

  /** A gateway with one event loop that speaks HTTP/2 to the {@code h2} backend. */
  private GatewayFixture gatewayToH2() {
    GatewayOptions options =
        GatewayOptions.builder("127.0.0.1", 0).eventLoops(1).upstreamHttp2(true).build();
    return new GatewayFixture(options, head -> TestRoutes.forward(h2), new SimpleMeterRegistry());
  }

  @Test
  void multiplexesConcurrentRequestsOnOneConnection() throws Exception {
    // Given
    try (GatewayFixture gw = gatewayToH2()) {
      // When: three clients at once (one slow request each), then a POST with a body
      List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        slow.add(
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .sendAsync(
                    HttpRequest.newBuilder(gw.uri("/slow/300")).build(),
                    HttpResponse.BodyHandlers.ofString()));
      }
      List<String> bodies = new ArrayList<>();
      for (var f : slow) {
        bodies.add(f.get().body());
      }
      HttpResponse<String> post = gw.post("/upload", "x".repeat(100_000));
      HttpResponse<String> missing = gw.get("/status/404");
      // Then
      assertThat(bodies).containsOnly("h2 bytes=0");
      assertThat(post.body()).isEqualTo("h2 bytes=100000");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().map()).doesNotContainKey("x-http2-stream-id");
      assertThat(h2.accepted.get()).isEqualTo(1);
    }
  }

  @Test
  void relaysAResponseWithoutBodyOnce() throws Exception {
    // Given: an HTTP/2 backend whose 204 is one HEADERS frame that ends the stream
    try (GatewayFixture gw = gatewayToH2()) {
      // When: two in a row on one client connection
      HttpResponse<String> first = gw.get("/status/204");
      HttpResponse<String> second = gw.get("/");
      // Then: the head is relayed once, and the connection stays usable
      assertThat(first.statusCode()).isEqualTo(204);
      assertThat(first.headers().firstValue("x-backend")).hasValue("h2");
      assertThat(first.headers().map()).doesNotContainKey("x-http2-stream-id");
      assertThat(second.body()).isEqualTo("h2 bytes=0");
    }
  }

  @Test
  void speaksHttp2OverTlsByAlpn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    // Given: a TLS backend that only offers h2
    TestCertificates certs = new TestCertificates();
    var server = certs.leaf(dir, "backend", "backend", "127.0.0.1");
    var tls =
        io.netty.handler.ssl.SslContextBuilder.forServer(
                server.certificate().toFile(), server.privateKey().toFile())
            .applicationProtocolConfig(
                new io.netty.handler.ssl.ApplicationProtocolConfig(
                    io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                    io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior
                        .NO_ADVERTISE,
                    io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior
                        .ACCEPT,
                    io.netty.handler.ssl.ApplicationProtocolNames.HTTP_2))
            .build();
    GatewayOptions options =
        GatewayOptions.builder("127.0.0.1", 0)
            .eventLoops(1)
            .upstreamHttp2(true)
            .backendTls(new GatewayOptions.BackendTls(null, certs.caFile(dir)))
            .build();
    try (TestBackend secure = new TestBackend("secure-h2", tls, true)) {
      var endpoint =
          new dev.meridian.gateway.Endpoint(
              dev.meridian.gateway.Endpoint.idOf("secure-h2", "127.0.0.1", secure.port()),
              "secure-h2",
              "",
              "",
              "",
              "127.0.0.1",
              secure.port(),
              true,
              1);
      try (GatewayFixture gw =
          new GatewayFixture(
              options,
              head -> TestRoutes.forward(new TestRoutes.InOrder(List.of(endpoint))),
              new SimpleMeterRegistry())) {
        // When
        HttpResponse<String> r = gw.get("/");
        // Then
        assertThat(r.body()).isEqualTo("secure-h2 bytes=0");
      }
    }
  }
}
