package dev.meridian.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.EndpointFeedback.Failure;
import dev.meridian.gateway.Requests;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EjectionAndPolicyTest {

  @Test
  void anEjectedEndpointGetsNoTrafficUntilItsEjectionEnds() {
    // Given
    Fleet f =
        Fleet.of(
            "outlierDetection: {consecutiveFailures: 2, baseEjectionTime: 2s, maxEjectionTime: 60s, maxEjectionPercent: 50}");
    var a = f.endpoint("eu-west-1/10.0.0.1:80");

    // When
    f.states.failure(a, Failure.CONNECT);
    f.states.failure(a, Failure.STATUS_5XX);
    Map<String, Integer> ejected = f.picks(Requests.head("h", "/"), 20, false);
    f.clock.addAndGet(Duration.ofSeconds(2).toNanos());
    Map<String, Integer> back = f.picks(Requests.head("h", "/"), 20, false);

    // Then
    assertThat(ejected).containsOnlyKeys("eu-west-1/10.0.0.2:80");
    assertThat(back).containsOnlyKeys("eu-west-1/10.0.0.1:80", "eu-west-1/10.0.0.2:80");
  }

  @Test
  void aPolicyFromTheSpiIsUsedByName() {
    // Given
    Fleet f = Fleet.of("loadBalancing: {policy: LastCandidate, locality: None}");

    // When
    Map<String, Integer> counts = f.picks(Requests.head("h", "/"), 10, false);

    // Then
    assertThat(counts).containsOnlyKeys("ap-south-1/10.0.2.1:80");
  }

  @Test
  void anUnknownPolicyFailsTheRoute() {
    // When
    Fleet f = Fleet.of("loadBalancing: {policy: Nope}");

    // Then
    assertThat(f.table.routes()).isEmpty();
    assertThat(f.table.problems()).singleElement().asString().contains("Nope");
  }
}
