package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.GatewayOptions;
import dev.meridian.gateway.RouteDecision;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private final TestBackend a = new TestBackend("a");
  private final TestBackend b = new TestBackend("b");

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  @Test
  void adminListenerServesPrometheusTextAndHealth() throws Exception {
    // Given
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    GatewayOptions options =
        GatewayOptions.builder("127.0.0.1", 0).eventLoops(1).admin("127.0.0.1", 0).build();
    try (GatewayFixture gw =
        new GatewayFixture(
            options,
            head ->
                head.path().startsWith("/none")
                    ? RouteDecision.NOT_FOUND
                    : TestRoutes.forward(a, b),
            registry)) {
      gw.get("/");
      gw.get("/status/503");
      gw.get("/none");
      URI admin = URI.create("http://127.0.0.1:" + gw.gateway.adminAddress().getPort());
      // When
      HttpResponse<String> metrics =
          gw.client.send(
              HttpRequest.newBuilder(admin.resolve("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> health =
          gw.client.send(
              HttpRequest.newBuilder(admin.resolve("/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      // Then
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains(
              "meridian_gateway_requests_total{cluster=\"a\",code=\"2xx\",route=\"shop/web\"} 1.0")
          .contains(
              "meridian_gateway_requests_total{cluster=\"b\",code=\"5xx\",route=\"shop/web\"} 1.0")
          .contains(
              "meridian_gateway_requests_total{cluster=\"none\",code=\"4xx\",route=\"none\"} 1.0")
          .contains(
              "meridian_gateway_request_duration_seconds_bucket{cluster=\"a\",route=\"shop/web\"")
          .contains("meridian_gateway_retries_total{route=\"shop/web\"} 1.0")
          .contains("meridian_gateway_upstream_errors_total{cluster=\"a\",kind=\"status_5xx\"} 1.0")
          .contains("meridian_gateway_upstream_errors_total{cluster=\"b\",kind=\"status_5xx\"} 1.0")
          .contains("meridian_gateway_downstream_connections")
          .contains("meridian_gateway_upstream_connections");
    }
  }
}
