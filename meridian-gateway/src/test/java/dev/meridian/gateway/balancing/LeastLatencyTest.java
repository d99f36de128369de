package dev.meridian.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.BackendSelector;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.EndpointFeedback;
import dev.meridian.gateway.Requests;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeastLatencyTest {

  private static final String TWO =
      "[{kind: Static, name: s, endpoints: [{address: 10.0.0.1, port: 80, cluster: slow},"
          + " {address: 10.0.0.2, port: 80, cluster: fast}]}]";

  @Test
  void prefersTheEndpointWithTheLowerLatencyEwma() {
    // Given
    Fleet f = new Fleet("loadBalancing: {policy: LeastLatency, locality: None}", TWO, "{}");
    BackendSelector s = f.selector();
    Map<String, Integer> counts = new HashMap<>();

    // When: every attempt reports its endpoint's latency
    for (int i = 0; i < 1000; i++) {
      Endpoint e = s.pick(Requests.head("h", "/"), Set.of()).orElseThrow();
      counts.merge(e.cluster(), 1, Integer::sum);
      f.states.success(e, e.cluster().equals("slow") ? 20_000_000 : 1_000_000);
    }

    // Then
    assertThat(counts.get("fast")).isGreaterThan(950);
  }

  @Test
  void penalisesAttemptsInFlightAndFailures() {
    // Given: same latency, but "fast" has many attempts in flight
    Fleet f = new Fleet("loadBalancing: {policy: LeastLatency, locality: None}", TWO, "{}");
    BackendSelector s = f.selector();
    Endpoint fast = f.endpoint("fast/10.0.0.2:80");
    Endpoint slow = f.endpoint("slow/10.0.0.1:80");
    f.states.success(fast, 1_000_000);
    f.states.success(slow, 1_000_000);
    for (int i = 0; i < 10; i++) {
      f.states.state(fast.id()).started();
    }

    // When
    Endpoint chosen = s.pick(Requests.head("h", "/"), Set.of()).orElseThrow();
    f.states.success(chosen, 1_000_000);
    for (int i = 0; i < 10; i++) {
      f.states.success(fast, 1_000_000);
    }
    f.states.failure(slow, EndpointFeedback.Failure.STATUS_5XX);
    Endpoint afterFailure = s.pick(Requests.head("h", "/"), Set.of()).orElseThrow();

    // Then
    assertThat(chosen).isEqualTo(slow);
    assertThat(afterFailure).isEqualTo(fast);
  }
}
