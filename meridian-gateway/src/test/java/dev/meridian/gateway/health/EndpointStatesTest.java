package dev.meridian.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.EndpointFeedback.Failure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EndpointStatesTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EndpointStates states =
      new EndpointStates(registry, clock::get, Duration.ofMinutes(10));
  private final OutlierSettings outlier =
      new OutlierSettings(3, Duration.ofSeconds(2), Duration.ofSeconds(10), 100);

  private static Endpoint endpoint(String cluster, int i) {
    return new Endpoint(
        Endpoint.idOf(cluster, "10.0.0." + i, 80),
        cluster,
        "",
        "",
        "",
        "10.0.0." + i,
        80,
        false,
        1);
  }

  private List<EndpointState> backend(int n, OutlierSettings o) {
    List<EndpointState> members = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      members.add(states.track(endpoint("c" + i, i)));
    }
    states.backend("ns/Service/web:80", members, o);
    return members;
  }

  private void fail(EndpointState s, int times) {
    fail(s, times, Failure.CONNECT);
  }

  private void fail(EndpointState s, int times, Failure failure) {
    for (int i = 0; i < times; i++) {
      states.failure(s.endpoint(), failure);
    }
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void consecutiveFailuresEjectAndASuccessInBetweenResetsTheCount() {
    // Given
    EndpointState s = backend(2, outlier).get(0);

    // When
    fail(s, 2);
    states.success(s.endpoint(), 1_000_000);
    fail(s, 2);
    boolean afterTwo = s.available(clock.get());
    fail(s, 1);

    // Then
    assertThat(afterTwo).isTrue();
    assertThat(s.ejected(clock.get())).isTrue();
    assertThat(registry.get("meridian.gateway.ejections").tag("cluster", "c1").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void aRecoverySeenByActiveChecksEndsAnEjectionButPassingChecksAloneDoNot() {
    // Given: two endpoints ejected for 5xx answers
    List<EndpointState> members = backend(2, outlier);
    EndpointState down = members.get(0);
    EndpointState flaky = members.get(1);
    fail(down, 3, Failure.STATUS_5XX);
    fail(flaky, 3, Failure.STATUS_5XX);
    assertThat(down.ejected(clock.get())).isTrue();
    assertThat(flaky.ejected(clock.get())).isTrue();

    // When: the first fails its active checks, then passes them again; the second kept passing
    states.activeHealth(down.endpoint(), false);
    advance(Duration.ofMillis(500));
    states.probePassed(down.endpoint());
    states.activeHealth(down.endpoint(), true);
    states.probePassed(flaky.endpoint());

    // Then: the recovered one gets traffic at once, the flaky one serves its ejection out
    assertThat(down.available(clock.get())).isTrue();
    assertThat(flaky.ejected(clock.get())).isTrue();
    advance(Duration.ofSeconds(2));
    assertThat(flaky.available(clock.get())).isTrue();
  }

  @Test
  void anEndpointEjectedAsUnreachableIsLetBackByTheFirstPassingProbe() {
    // Given: an endpoint ejected for refused connections, before its checks noticed anything
    EndpointState s = backend(2, outlier).get(0);
    fail(s, 3, Failure.CONNECT);
    assertThat(s.ejected(clock.get())).isTrue();

    // When: the next probe reaches it
    advance(Duration.ofMillis(300));
    states.probePassed(s.endpoint());

    // Then: it gets traffic again without serving its ejection time out
    assertThat(s.available(clock.get())).isTrue();
  }

  @Test
  void ejectionTimeDoublesEachTimeUpToTheMaximum() {
    // Given
    EndpointState s = backend(2, outlier).get(0);
    List<Long> durations = new ArrayList<>();

    // When: ejected four times in a row
    for (int i = 0; i < 4; i++) {
      fail(s, 3);
      long from = clock.get();
      advance(Duration.ofMillis(1));
      while (s.ejected(clock.get())) {
        advance(Duration.ofMillis(250));
      }
      durations.add(Duration.ofNanos(clock.get() - from).toMillis() / 250 * 250);
    }

    // Then: 2 s, 4 s, 8 s, then capped at 10 s
    assertThat(durations).containsExactly(2000L, 4000L, 8000L, 10000L);
  }

  @Test
  void theMultiplierStartsAgainAfterAQuietPeriod() {
    // Given
    EndpointState s = backend(2, outlier).get(0);
    fail(s, 3);
    advance(Duration.ofSeconds(3));
    fail(s, 3);
    advance(Duration.ofSeconds(5));
    assertThat(s.available(clock.get())).isTrue();

    // When: longer than maxEjectionTime without an ejection
    advance(Duration.ofSeconds(11));
    fail(s, 3);
    advance(Duration.ofMillis(2001));

    // Then: back to the base ejection time
    assertThat(s.available(clock.get())).isTrue();
  }

  @Test
  void maxEjectionPercentIsRespectedPerBackendButOneCanAlwaysBeEjected() {
    // Given: 50% of 4 endpoints
    List<EndpointState> members =
        backend(4, new OutlierSettings(1, Duration.ofSeconds(5), Duration.ofSeconds(60), 50));
    OutlierSettings tenPercent =
        new OutlierSettings(1, Duration.ofSeconds(5), Duration.ofSeconds(60), 10);

    // When
    members.forEach(m -> fail(m, 1));
    long ejected = members.stream().filter(m -> m.ejected(clock.get())).count();
    List<EndpointState> small = new ArrayList<>();
    for (int i = 5; i <= 7; i++) {
      small.add(states.track(endpoint("d" + i, i)));
    }
    states.backend("ns/Service/small:80", small, tenPercent);
    small.forEach(m -> fail(m, 1));

    // Then
    assertThat(ejected).isEqualTo(2);
    assertThat(small.stream().filter(m -> m.ejected(clock.get())).count()).isEqualTo(1);
  }

  @Test
  void latencyEwmaAndInFlightFollowTheFeedback() {
    // Given
    EndpointState s = backend(1, outlier).get(0);

    // When
    s.started();
    s.started();
    states.success(s.endpoint(), 10_000_000);
    states.success(s.endpoint(), 20_000_000);
    states.success(s.endpoint(), 20_000_000);

    // Then: 10, then +0.2×10, then +0.2×8
    assertThat(s.latencyEwmaNanos())
        .isEqualTo(13_600_000, org.assertj.core.api.Assertions.within(1.0));
    assertThat(s.clusterLatencyEwmaNanos())
        .isEqualTo(13_600_000, org.assertj.core.api.Assertions.within(1.0));
    assertThat(s.inFlight()).isZero();
  }

  @Test
  void endpointsNoTableUsesAnyMoreAreForgottenAfterAWhile() {
    // Given
    EndpointState kept = states.track(endpoint("a", 1));
    states.track(endpoint("b", 2));

    // When
    advance(Duration.ofMinutes(6));
    states.track(kept.endpoint());
    states.forgetUnused();
    int afterSix = states.size();
    advance(Duration.ofMinutes(6));
    states.track(kept.endpoint());
    states.forgetUnused();

    // Then
    assertThat(afterSix).isEqualTo(2);
    assertThat(states.size()).isEqualTo(1);
    assertThat(states.state(kept.endpoint().id())).isSameAs(kept);
  }

  @Test
  void ejectionsAreExportedToPrometheusByCluster() {
    // Given
    var prometheus =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    EndpointStates exported = new EndpointStates(prometheus, clock::get, Duration.ofMinutes(10));
    EndpointState s = exported.track(endpoint("eu-west-1", 1));
    exported.backend(
        "ns/Service/web:80", List.of(s, exported.track(endpoint("eu-west-1", 2))), outlier);

    // When
    for (int i = 0; i < 3; i++) {
      exported.failure(s.endpoint(), Failure.TIMEOUT);
    }

    // Then
    assertThat(prometheus.scrape())
        .contains("meridian_gateway_ejections_total{cluster=\"eu-west-1\"} 1.0");
  }
}
