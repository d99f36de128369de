package dev.meridian.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.BackendSelector;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.Requests;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResidencyTest {

  private static Fleet fleet() {
    return new Fleet(
        """
        residency:
          header: X-Data-Residency
          policies: [{value: eu, residencyPolicy: gdpr}, {value: in, residencyPolicy: india}]""",
        "[{kind: Static, name: s, endpoints: " + Fleet.ENDPOINTS + "}]",
        "{residency: [{value: eu, residencyPolicy: gdpr, allowedClusters: [eu-west-1]}]}");
  }

  private static RequestHead pinned(String value) {
    return Requests.get("h", "/")
        .header("X-Data-Residency", value)
        .header("X-Client-Region", "us-east")
        .head();
  }

  @Test
  void aPinnedRequestNeverLeavesItsAllowedClustersEvenOnRetry() {
    // Given
    Fleet f = fleet();
    BackendSelector s = f.selector();

    // When
    Map<String, Integer> counts = f.picks(pinned("eu"), 200, true);
    Set<Endpoint> tried = new HashSet<>();
    tried.add(s.pick(pinned("eu"), Set.of()).orElseThrow());
    Endpoint retry = s.pick(pinned("eu"), tried).orElseThrow();
    tried.add(retry);

    // Then
    assertThat(counts).containsOnlyKeys("eu-west-1");
    assertThat(retry.cluster()).isEqualTo("eu-west-1");
    assertThat(s.pick(pinned("eu"), tried)).isEmpty();
  }

  @Test
  void noEligibleAllowedEndpointMeansNoEndpointNotAFallback() {
    // Given
    Fleet f = fleet();
    f.unhealthy("eu-west-1/10.0.0.1:80", "eu-west-1/10.0.0.2:80");

    // When / Then
    assertThat(f.picks(pinned("eu"), 10, true)).containsOnlyKeys("none");
    assertThat(f.picks(pinned("in"), 10, true)).containsOnlyKeys("none");
  }

  @Test
  void requestsWithoutAMatchingValueAreNotPinned() {
    // Given
    Fleet f = fleet();

    // When
    Map<String, Integer> unpinned =
        f.picks(Requests.get("h", "/").header("X-Client-Region", "us-east").head(), 20, true);
    Map<String, Integer> otherValue = f.picks(pinned("us"), 20, true);

    // Then
    assertThat(unpinned).containsOnlyKeys("us-east-1");
    assertThat(otherValue).containsOnlyKeys("us-east-1");
  }
}
