package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RetryBudget;
import dev.meridian.gateway.RouteDecision.Limits;
import dev.meridian.gateway.RouteDecision.RetryPolicy;
import dev.meridian.gateway.RouteDecision.Timeouts;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilienceTest {

  private final TestBackend a = new TestBackend("a");
  private final TestBackend b = new TestBackend("b");

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static RetryPolicy retry(int attempts) {
    return new RetryPolicy(attempts, List.of(502, 503, 504), RetryBudget.UNLIMITED);
  }

  @Test
  void retriesAConnectFailureOnTheNextEndpointWithoutClientVisibleErrors() throws Exception {
    // Given: the first endpoint refuses connections
    Endpoint dead = TestRoutes.endpoint("dead", closedPort());
    var selector = new TestRoutes.InOrder(List.of(dead, TestRoutes.endpoint(a)));
    try (GatewayFixture gw =
        new GatewayFixture(
            head -> TestRoutes.forward(selector, Timeouts.DEFAULT, retry(2), Limits.DEFAULT))) {
      // When
      HttpResponse<String> get = gw.get("/");
      HttpResponse<String> post = gw.post("/", "payload");
      // Then: even the POST is retried, since nothing reached the dead endpoint
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("a bytes=0");
      assertThat(post.statusCode()).isEqualTo(200);
      assertThat(post.body()).isEqualTo("a bytes=7");
      assertThat(gw.feedback)
          .contains(new GatewayFixture.Report(dead.id(), "CONNECT"))
          .contains(new GatewayFixture.Report(TestRoutes.endpoint(a).id(), "success"));
    }
  }

  @Test
  void retriesA503ForGetButNotForPost() throws Exception {
    // Given: a answers 503 to /status/503, b is healthy
    var selector = new TestRoutes.InOrder(List.of(TestRoutes.endpoint(a), TestRoutes.endpoint(b)));
    try (GatewayFixture gw =
        new GatewayFixture(
            head -> TestRoutes.forward(selector, Timeouts.DEFAULT, retry(2), Limits.DEFAULT))) {
      // When
      HttpResponse<String> get = gw.get("/status/503");
      HttpResponse<String> post = gw.post("/status/503", "x");
      // Then: b got the retried GET and answered 503 too (same path), the POST stayed on a
      assertThat(get.statusCode()).isEqualTo(503);
      assertThat(get.body()).startsWith("b ");
      assertThat(post.statusCode()).isEqualTo(503);
      assertThat(post.body()).startsWith("a ");
      assertThat(a.requests.get()).isEqualTo(2);
      assertThat(b.requests.get()).isEqualTo(1);
    }
  }

  @Test
  void aRetryNeedsABudgetToken() throws Exception {
    // Given
    var selector = new TestRoutes.InOrder(List.of(TestRoutes.endpoint(a), TestRoutes.endpoint(b)));
    AtomicInteger firstAttempts = new AtomicInteger();
    RetryBudget none =
        new RetryBudget() {
          @Override
          public void onRequest() {
            firstAttempts.incrementAndGet();
          }

          @Override
          public boolean tryRetry() {
            return false;
          }
        };
    RetryPolicy policy = new RetryPolicy(3, List.of(503), none);
    try (GatewayFixture gw =
        new GatewayFixture(
            head -> TestRoutes.forward(selector, Timeouts.DEFAULT, policy, Limits.DEFAULT))) {
      // When
      HttpResponse<String> get = gw.get("/status/503");
      // Then
      assertThat(get.body()).startsWith("a ");
      assertThat(b.requests.get()).isZero();
      assertThat(firstAttempts.get()).isEqualTo(1);
    }
  }

  @Test
  void answers504WhenTheRequestTimesOut() throws Exception {
    // Given
    Timeouts t = new Timeouts(Duration.ofMillis(300), null);
    try (GatewayFixture gw =
        new GatewayFixture(
            head ->
                TestRoutes.forward(
                    new TestRoutes.InOrder(List.of(TestRoutes.endpoint(a))),
                    t,
                    retry(1),
                    Limits.DEFAULT))) {
      // When
      HttpResponse<String> slow = gw.get("/slow/3000");
      HttpResponse<String> fast = gw.get("/");
      // Then
      assertThat(slow.statusCode()).isEqualTo(504);
      assertThat(fast.statusCode()).isEqualTo(200);
      assertThat(gw.feedback)
          .contains(new GatewayFixture.Report(TestRoutes.endpoint(a).id(), "TIMEOUT"));
    }
  }

  @Test
  void timesEachRequestOfAKeepAliveConnectionFromItsOwnStart() throws Exception {
    // Given: a connection keeps one timer for its requests; /slow/100 may take 5 s, others 600 ms
    var selector = new TestRoutes.InOrder(List.of(TestRoutes.endpoint(a)));
    try (GatewayFixture gw =
        new GatewayFixture(
            head ->
                TestRoutes.forward(
                    selector,
                    head.path().startsWith("/slow/100")
                        ? new Timeouts(Duration.ofSeconds(5), null)
                        : new Timeouts(Duration.ofMillis(600), null),
                    retry(1),
                    Limits.DEFAULT))) {
      // When: a request ends before its deadline, then the next one overruns its own
      HttpResponse<String> first = gw.get("/slow/250");
      long start = System.nanoTime();
      HttpResponse<String> second = gw.get("/slow/3000");
      long secondMillis = (System.nanoTime() - start) / 1_000_000;
      // and a request with a later deadline, then one with an earlier deadline
      HttpResponse<String> third = gw.get("/slow/100");
      start = System.nanoTime();
      HttpResponse<String> fourth = gw.get("/slow/3000");
      long fourthMillis = (System.nanoTime() - start) / 1_000_000;
      // Then: the second was not cut at the first one's deadline, and the fourth was not left
      // to run until the third one's
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(second.statusCode()).isEqualTo(504);
      assertThat(secondMillis).isBetween(550L, 2500L);
      assertThat(third.statusCode()).isEqualTo(200);
      assertThat(fourth.statusCode()).isEqualTo(504);
      assertThat(fourthMillis).isBetween(550L, 2500L);
    }
  }

  @Test
  void retriesAnAttemptTimeoutOnAnotherEndpoint() throws Exception {
    // Given: per-attempt 200 ms; a is slow for /slow/, b too, but b is tried second
    Timeouts t = new Timeouts(Duration.ofSeconds(5), Duration.ofMillis(200));
    var selector = new TestRoutes.InOrder(List.of(TestRoutes.endpoint(a), TestRoutes.endpoint(b)));
    try (GatewayFixture gw =
        new GatewayFixture(head -> TestRoutes.forward(selector, t, retry(2), Limits.DEFAULT))) {
      // When
      HttpResponse<String> r = gw.get("/slow/1000");
      // Then: both attempts timed out
      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(a.requests.get()).isEqualTo(1);
      assertThat(b.requests.get()).isEqualTo(1);
    }
  }

  @Test
  void circuitBreakerFailsFastBeyondTheLimits() throws Exception {
    // Given: one connection, nobody may wait for it; a single endpoint
    Limits limits = new Limits(1, 0);
    try (GatewayFixture gw =
        new GatewayFixture(
            dev.meridian.gateway.GatewayOptions.builder("127.0.0.1", 0).eventLoops(1).build(),
            head ->
                TestRoutes.forward(
                    new TestRoutes.InOrder(List.of(TestRoutes.endpoint(a))),
                    Timeouts.DEFAULT,
                    retry(1),
                    limits),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
      java.net.http.HttpClient other =
          java.net.http.HttpClient.newBuilder()
              .version(java.net.http.HttpClient.Version.HTTP_1_1)
              .build();
      // When: a slow request holds the connection, then a second one arrives (one loop)
      CompletableFuture<HttpResponse<String>> slow =
          gw.client.sendAsync(
              java.net.http.HttpRequest.newBuilder(gw.uri("/slow/1500")).build(),
              HttpResponse.BodyHandlers.ofString());
      while (a.requests.get() == 0) {
        Thread.sleep(10);
      }
      HttpResponse<String> refused = null;
      for (int i = 0;
          i < 4;
          i++) { // the second client may land on the other loop: its pool is separate
        HttpResponse<String> r =
            other.send(
                java.net.http.HttpRequest.newBuilder(gw.uri("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 503) {
          refused = r;
          break;
        }
        other =
            java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
      }
      // Then
      assertThat(refused).isNotNull();
      assertThat(slow.get().statusCode()).isEqualTo(200);
    }
  }
}
