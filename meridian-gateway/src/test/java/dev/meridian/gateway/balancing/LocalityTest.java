package dev.meridian.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.Requests;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalityTest {

  @Test
  void theTrustedHeaderSaysTheClientsRegion() {
    // Given
    Fleet f = Fleet.of("loadBalancing: {locality: PreferClient}");

    // When
    Map<String, Integer> us =
        f.picks(Requests.get("h", "/").header("X-Client-Region", "us-east").head(), 100, true);

    // Then
    assertThat(us).containsOnlyKeys("us-east-1");
  }

  @Test
  void elseTheCidrTableElseTheGatewaysOwnRegion() {
    // Given
    Fleet f =
        new Fleet(
            "loadBalancing: {locality: PreferClient}",
            "[{kind: Static, name: s, endpoints: " + Fleet.ENDPOINTS + "}]",
            "{}",
            ctx ->
                ctx.withClientCidrs(
                    Map.of("203.0.113.0/24", "ap-south", "2001:db8::/32", "us-east")));

    // When
    Map<String, Integer> byCidr =
        f.picks(Requests.get("h", "/").client("203.0.113.7").head(), 50, true);
    Map<String, Integer> byCidr6 =
        f.picks(Requests.get("h", "/").client("2001:db8::1").head(), 50, true);
    Map<String, Integer> unknown =
        f.picks(Requests.get("h", "/").client("198.51.100.1").head(), 50, false);

    // Then
    assertThat(byCidr).containsOnlyKeys("ap-south-1");
    assertThat(byCidr6).containsOnlyKeys("us-east-1");
    assertThat(unknown).containsOnlyKeys("eu-west-1/10.0.0.1:80", "eu-west-1/10.0.0.2:80");
  }

  @Test
  void whenTheClientsRegionIsAllUnhealthyTheNearestClusterTakesOverThenTheRest() {
    // Given: this gateway measured us-east-1 nearer than ap-south-1
    Fleet f = Fleet.of("loadBalancing: {locality: PreferClient}");
    f.states.probeLatency(f.endpoint("us-east-1/10.0.1.1:80"), 5_000_000);
    f.states.probeLatency(f.endpoint("ap-south-1/10.0.2.1:80"), 80_000_000);
    f.unhealthy("eu-west-1/10.0.0.1:80");
    Map<String, Integer> oneLeft = f.picks(Requests.head("h", "/"), 50, false);

    // When
    f.unhealthy("eu-west-1/10.0.0.2:80");
    Map<String, Integer> nearest = f.picks(Requests.head("h", "/"), 50, true);
    f.unhealthy("us-east-1/10.0.1.1:80");
    Map<String, Integer> rest = f.picks(Requests.head("h", "/"), 50, true);
    f.unhealthy("ap-south-1/10.0.2.1:80");
    Map<String, Integer> none = f.picks(Requests.head("h", "/"), 5, true);

    // Then
    assertThat(oneLeft).containsOnlyKeys("eu-west-1/10.0.0.2:80");
    assertThat(nearest).containsOnlyKeys("us-east-1");
    assertThat(rest).containsOnlyKeys("ap-south-1");
    assertThat(none).containsOnlyKeys("none");
  }

  @Test
  void withLocalityNoneEveryClusterTakesTraffic() {
    // Given
    Fleet f = Fleet.of("loadBalancing: {locality: None}");

    // When
    Map<String, Integer> counts =
        f.picks(Requests.get("h", "/").header("X-Client-Region", "us-east").head(), 400, true);

    // Then
    assertThat(counts).containsOnlyKeys("eu-west-1", "us-east-1", "ap-south-1");
    assertThat(counts.get("eu-west-1")).isEqualTo(200);
  }
}
