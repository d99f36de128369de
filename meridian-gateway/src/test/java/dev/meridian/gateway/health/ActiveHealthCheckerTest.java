package dev.meridian.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meridian.gateway.Endpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against real HTTP servers on loopback. */
class ActiveHealthCheckerTest {

  private static final HealthCheckSettings FAST =
      new HealthCheckSettings("/healthz", Duration.ofMillis(100), Duration.ofMillis(500), 2, 2);

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EndpointStates states = new EndpointStates(registry);
  private final ActiveHealthChecker checker = new ActiveHealthChecker(group, states, registry);
  private HttpServer server;

  @AfterEach
  void stop() {
    checker.close();
    if (server != null) {
      server.stop(0);
    }
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  private HttpServer serve(int port, int status) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    s.createContext(
        "/",
        ex -> {
          int code = ex.getRequestURI().getPath().equals("/healthz") ? status : 404;
          ex.sendResponseHeaders(code, -1);
          ex.close();
        });
    s.start();
    return s;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Endpoint tracked(int port) {
    Endpoint e =
        new Endpoint(
            Endpoint.idOf("c1", "127.0.0.1", port), "c1", "", "", "", "127.0.0.1", port, false, 1);
    states.track(e);
    return e;
  }

  /** Waits up to {@code max} for the condition and answers how long it took. */
  private static Duration await(BooleanSupplier condition, Duration max)
      throws InterruptedException {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start > max.toNanos()) {
        throw new AssertionError("not within " + max);
      }
      Thread.sleep(10);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aServerThatGoesDownIsMarkedUnhealthyAndHealthyAgainWhenItComesBack() throws Exception {
    // Given
    int port = freePort();
    server = serve(port, 200);
    Endpoint e = tracked(port);
    EndpointState s = states.state(e.id());
    checker.update(List.of(new HealthTarget(e, FAST)));
    await(() -> s.clusterLatencyEwmaNanos() > 0 && s.activelyHealthy(), Duration.ofSeconds(5));
    assertThat(s.activelyHealthy()).isTrue();

    // When: it stops accepting connections
    server.stop(0);
    server = null;
    await(() -> !s.activelyHealthy(), Duration.ofSeconds(3));
    double failures =
        registry
            .get("meridian.gateway.health.check.failures")
            .tag("cluster", "c1")
            .counter()
            .count();
    server = serve(port, 200);
    await(s::activelyHealthy, Duration.ofSeconds(3));

    // Then
    assertThat(failures).isGreaterThanOrEqualTo(2);
    assertThat(s.available(System.nanoTime())).isTrue();
  }

  @Test
  void aStatusOtherThan2xxOr3xxIsAFailureAndAClosedPortToo() throws Exception {
    // Given
    int port = freePort();
    server = serve(port, 503);
    Endpoint failing = tracked(port);
    Endpoint closed = tracked(freePort());

    // When
    checker.update(List.of(new HealthTarget(failing, FAST), new HealthTarget(closed, FAST)));
    Duration took =
        await(
            () ->
                !states.state(failing.id()).activelyHealthy()
                    && !states.state(closed.id()).activelyHealthy(),
            Duration.ofSeconds(3));

    // Then: within about interval × threshold (plus the random first delay)
    assertThat(took).isLessThan(Duration.ofSeconds(3));
    assertThat(registry.get("meridian.gateway.health.check.failures").counter().count())
        .isGreaterThanOrEqualTo(4);
    assertThat(checker.size()).isEqualTo(2);
  }

  @Test
  void aTargetRemovedFromTheTableIsNoLongerProbedNorHeldUnhealthy() throws Exception {
    // Given
    Endpoint closed = tracked(freePort());
    checker.update(List.of(new HealthTarget(closed, FAST)));
    await(() -> !states.state(closed.id()).activelyHealthy(), Duration.ofSeconds(3));

    // When
    checker.update(List.of());

    // Then
    assertThat(checker.size()).isZero();
    assertThat(states.state(closed.id()).activelyHealthy()).isTrue();
  }

  @Test
  void probesTenThousandEndpointsOnOneEventLoopWithoutAThreadEach() throws Exception {
    // Given: 10,000 endpoints on loopback addresses, none listening
    int port = freePort();
    HealthCheckSettings check =
        new HealthCheckSettings("/healthz", Duration.ofMillis(500), Duration.ofSeconds(1), 1, 1);
    List<HealthTarget> targets = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String host = "127.1." + (i / 250) + "." + (i % 250 + 1);
      Endpoint e =
          new Endpoint(Endpoint.idOf("c1", host, port), "c1", "", "", "", host, port, false, 1);
      states.track(e);
      targets.add(new HealthTarget(e, check));
    }
    int threadsBefore = Thread.activeCount();

    // When
    checker.update(targets);
    await(
        () -> targets.stream().noneMatch(t -> states.state(t.endpoint().id()).activelyHealthy()),
        Duration.ofSeconds(60));

    // Then
    assertThat(checker.size()).isEqualTo(10_000);
    assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
  }
}
