package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.RetryBudget;
import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.RouteDecision.Forward;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MirrorAndFailureTest {

  private final TestBackend a = new TestBackend("a");

  @AfterEach
  void stop() {
    a.close();
  }

  @Test
  void mirrorsACopyWithoutWaitingForTheMirrorsAnswer() throws Exception {
    // Given: a mirror that reads the request and never answers
    try (ServerSocket mirror = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> copy =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = mirror.accept()) {
                  InputStream in = s.getInputStream();
                  byte[] buf = new byte[4096];
                  StringBuilder seen = new StringBuilder();
                  while (!seen.toString().contains("hello")) {
                    int n = in.read(buf);
                    if (n < 0) {
                      break;
                    }
                    seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                  }
                  return seen.toString();
                } catch (Exception e) {
                  return e.toString();
                }
              });
      var mirrorSelector =
          new TestRoutes.InOrder(List.of(TestRoutes.endpoint("mirror", mirror.getLocalPort())));
      Forward f =
          new Forward(
              TestRoutes.ROUTE,
              RouteDecision.RequestEdits.NONE,
              RouteDecision.HeaderEdits.NONE,
              new TestRoutes.InOrder(List.of(TestRoutes.endpoint(a))),
              new RouteDecision.Mirror(mirrorSelector, 100),
              RouteDecision.Timeouts.DEFAULT,
              new RouteDecision.RetryPolicy(1, List.of(), RetryBudget.UNLIMITED),
              RouteDecision.Limits.DEFAULT);
      try (GatewayFixture gw = new GatewayFixture(head -> f)) {
        // When
        HttpResponse<String> r = gw.post("/m", "hello");
        // Then: the client has its answer while the mirror still has not answered
        assertThat(r.body()).isEqualTo("a bytes=5");
        assertThat(copy.get(5, TimeUnit.SECONDS)).startsWith("POST /m HTTP/1.1").contains("hello");
      }
    }
  }

  @Test
  void aFailingRoutingTableCostsOneRequestOnly() throws Exception {
    // Given
    try (GatewayFixture gw =
        new GatewayFixture(
            head -> {
              if (head.path().equals("/boom")) {
                throw new IllegalStateException("bug");
              }
              return TestRoutes.forward(a);
            })) {
      // When
      HttpResponse<String> boom = gw.get("/boom");
      HttpResponse<String> ok = gw.get("/");
      // Then
      assertThat(boom.statusCode()).isEqualTo(500);
      assertThat(ok.statusCode()).isEqualTo(200);
    }
  }
}
