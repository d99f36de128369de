package dev.meridian.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.Requests;
import dev.meridian.gateway.config.CompileContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnknownRegionTest {

  @Test
  void withNoRegionKnownForTheClientEveryEndpointIsInOneTierEvenThoseWithoutARegion() {
    // Given: a gateway without --region, one endpoint without a region
    Fleet f =
        new Fleet(
            "loadBalancing: {locality: PreferClient}",
            "[{kind: Static, name: s, endpoints: [{address: 10.0.0.1, port: 80, cluster: a, region: eu-west},"
                + " {address: 10.0.0.2, port: 80, cluster: b}]}]",
            "{}",
            ctx ->
                new CompileContext(
                    ctx.gatewayName(), "", null, null, ctx.states(), 0, ctx.maxRateLimitClients()));

    // When
    Map<String, Integer> counts = f.picks(Requests.head("h", "/"), 100, true);

    // Then
    assertThat(counts).containsEntry("a", 50).containsEntry("b", 50);
  }
}
