package dev.meridian.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.Requests;
import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.Routes;
import dev.meridian.gateway.RoutingTable;
import dev.meridian.gateway.config.CompileContext;
import dev.meridian.gateway.health.EndpointStates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

  private RoutingTable table(String rateLimit) {
    EndpointStates states =
        new EndpointStates(new SimpleMeterRegistry(), clock::get, Duration.ofMinutes(10));
    return Routes.compile(
        Routes.route("ns", "r", null, null, "a", "")
            .replace("  rules:", "  rateLimit: " + rateLimit + "\n  rules:"),
        CompileContext.of("edge", "eu-west", states));
  }

  private static int status(RouteDecision d) {
    return d instanceof RouteDecision.Respond r ? r.status() : 200;
  }

  @Test
  void aClientBeyondItsBurstGets429WithRetryAfterWhileOthersPass() {
    // Given
    RoutingTable t = table("{perClient: {requestsPerSecond: 1, burst: 2}}");

    // When
    int first = status(t.decide(Requests.get("h", "/").client("10.0.0.1").head()));
    int second = status(t.decide(Requests.get("h", "/").client("10.0.0.1").head()));
    RouteDecision third = t.decide(Requests.get("h", "/").client("10.0.0.1").head());
    int otherClient = status(t.decide(Requests.get("h", "/").client("10.0.0.2").head()));

    // Then
    assertThat(first).isEqualTo(200);
    assertThat(second).isEqualTo(200);
    assertThat(status(third)).isEqualTo(429);
    assertThat(((RouteDecision.Respond) third).headers())
        .containsExactly(new RouteDecision.Header("Retry-After", "1"));
    assertThat(otherClient).isEqualTo(200);
  }

  @Test
  void tokensComeBackAtTheConfiguredRate() {
    // Given
    RoutingTable t = table("{perRoute: {requestsPerSecond: 10, burst: 1}}");
    assertThat(status(t.decide(Requests.head("h", "/")))).isEqualTo(200);
    assertThat(status(t.decide(Requests.head("h", "/")))).isEqualTo(429);

    // When
    clock.addAndGet(Duration.ofMillis(100).toNanos());

    // Then
    assertThat(status(t.decide(Requests.get("h", "/").client("10.1.1.1").head()))).isEqualTo(200);
    assertThat(status(t.decide(Requests.get("h", "/").client("10.1.1.2").head()))).isEqualTo(429);
  }

  @Test
  void retryAfterSaysWhenTheNextTokenComes() {
    // Given
    RoutingTable t = table("{perRoute: {requestsPerSecond: 0.2, burst: 1}}");
    t.decide(Requests.head("h", "/"));

    // When
    RouteDecision.Respond r = (RouteDecision.Respond) t.decide(Requests.head("h", "/"));

    // Then
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.headers().get(0).value()).isEqualTo("5");
  }

  @Test
  void thePerClientMapStaysBounded() {
    // Given
    RateLimiter limiter = new RateLimiter(null, new TokenBucket(1, 1), 1000, clock::get);

    // When: 5,000 distinct clients, each spending its only token
    for (int i = 0; i < 5000; i++) {
      limiter.check(new InetSocketAddress("10.2." + (i / 250) + "." + (i % 250), 1));
    }

    // Then
    assertThat(limiter.clients()).isLessThanOrEqualTo(1001);
    assertThat(limiter.check(new InetSocketAddress("10.2.19.249", 1))).isNotNull();
  }
}
