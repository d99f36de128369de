package dev.meridian.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.gateway.BackendSelector;
import dev.meridian.gateway.Requests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeightsTest {

  private static final String TWO_REFS =
      "[{kind: Static, name: a, weight: 3, endpoints: [{address: 10.0.0.1, port: 80, cluster: a}]},"
          + " {kind: Static, name: b, weight: 1, endpoints: [{address: 10.0.0.2, port: 80, cluster: b}]},"
          + " {kind: Static, name: z, weight: 0, endpoints: [{address: 10.0.0.3, port: 80, cluster: z}]}]";

  private static final String WEIGHTED_ENDPOINTS =
      "[{kind: Static, name: s, endpoints: [{address: 10.0.0.1, port: 80, cluster: a, weight: 3},"
          + " {address: 10.0.0.2, port: 80, cluster: b, weight: 1},"
          + " {address: 10.0.0.3, port: 80, cluster: z, weight: 0}]}]";

  private static Map<String, Integer> picks(String policy, String refs) {
    Fleet f = new Fleet("loadBalancing: {policy: " + policy + ", locality: None}", refs, "{}");
    return f.picks(Requests.head("h", "/"), 4000, true);
  }

  @Test
  void backendRefsShareTrafficByWeight() {
    // When
    Map<String, Integer> counts = picks("RoundRobin", TWO_REFS);

    // Then: 3:1 over 4,000 picks, never the weight-0 ref
    assertThat(counts.keySet()).containsExactlyInAnyOrder("a", "b");
    assertThat((double) counts.get("a")).isCloseTo(3000, within(60.0));
  }

  @Test
  void roundRobinFollowsEndpointWeightsSmoothly() {
    // Given
    Fleet f =
        new Fleet("loadBalancing: {policy: RoundRobin, locality: None}", WEIGHTED_ENDPOINTS, "{}");
    BackendSelector s = f.selector();

    // When
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      order.add(s.pick(Requests.head("h", "/"), Set.of()).orElseThrow().cluster());
    }

    // Then: 3:1, and never long runs of one endpoint
    assertThat((double) order.stream().filter("a"::equals).count()).isCloseTo(3000, within(40.0));
    assertThat(order).doesNotContain("z");
    int run = 0;
    int longest = 0;
    for (String c : order) {
      run = c.equals("a") ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    assertThat(longest).isLessThanOrEqualTo(5);
  }

  @Test
  void roundRobinWithEqualWeightsRotates() {
    // When
    Map<String, Integer> counts =
        Fleet.of("loadBalancing: {locality: None}").picks(Requests.head("h", "/"), 4000, false);

    // Then
    assertThat(counts.values()).containsOnly(1000);
  }

  @Test
  void randomFollowsWeightsWithinStatisticalTolerance() {
    // When
    Map<String, Integer> counts = picks("Random", WEIGHTED_ENDPOINTS);

    // Then: sd is about 27 picks; 6 sd
    assertThat(counts.keySet()).containsExactlyInAnyOrder("a", "b");
    assertThat((double) counts.get("a")).isCloseTo(3000, within(165.0));
  }

  @Test
  void roundRobinStaysExactUnderConcurrentPicks() throws Exception {
    // Given
    Fleet f = Fleet.of("loadBalancing: {locality: None}");
    BackendSelector s = f.selector();
    java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> counts =
        new java.util.concurrent.ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();

    // When: 4 threads, 10,000 picks each
    for (int t = 0; t < 4; t++) {
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  String id = s.pick(Requests.head("h", "/"), Set.of()).orElseThrow().id();
                  counts
                      .computeIfAbsent(id, k -> new java.util.concurrent.atomic.LongAdder())
                      .increment();
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }

    // Then: every position of the rotation was taken exactly once
    assertThat(counts).hasSize(4);
    assertThat(counts.values()).allSatisfy(c -> assertThat(c.sum()).isEqualTo(10_000));
  }
}
