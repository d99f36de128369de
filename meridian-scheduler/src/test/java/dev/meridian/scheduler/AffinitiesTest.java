package dev.meridian.scheduler;

import static dev.meridian.scheduler.Fixtures.cluster;
import static dev.meridian.scheduler.Fixtures.configMap;
import static dev.meridian.scheduler.Fixtures.deployment;
import static dev.meridian.scheduler.Fixtures.policy;
import static dev.meridian.scheduler.Fixtures.schedule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.policy.PropagationPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ordered {@code clusterAffinities}: the first that yields a placement wins. */
class AffinitiesTest {
  private static final PropagationPolicy FALLBACK =
      policy(
          """
          clusterAffinities:
          - affinityName: primary
            labelSelector: {matchLabels: {ring: prod}}
            locations: {regions: [eu-west]}
          - affinityName: backup
            labelSelector: {matchLabels: {ring: prod}}
          """);

  @Test
  void theFirstAffinityIsUsedWhenItYieldsAPlacement() {
    Decision d =
        schedule(
            configMap(),
            FALLBACK,
            cluster("eu").label("ring", "prod").build(),
            cluster("us").label("ring", "prod").in("US", "us-east", "us-east-1a").build());
    assertThat(d.affinityName()).isEqualTo("primary");
    assertThat(d.placement()).containsOnlyKeys("eu");
    assertThat(d.exclusions().get("us"))
        .containsExactly("affinity \"primary\": region us-east not in [eu-west]");
  }

  @Test
  void theNextAffinityIsUsedWhenTheFirstYieldsNothing() {
    // Given the only eu-west cluster is down
    Decision d =
        schedule(
            configMap(),
            FALLBACK,
            cluster("eu").label("ring", "prod").ready("False").build(),
            cluster("us").label("ring", "prod").in("US", "us-east", "us-east-1a").build());

    // Then the backup places it, and the decision says why the primary did not
    assertThat(d.affinityName()).isEqualTo("backup");
    assertThat(d.placement()).containsOnlyKeys("us");
    assertThat(d.warnings())
        .containsExactly(
            "affinity \"primary\" yields no placement (no cluster fits: of 2 clusters, excluded by"
                + " affinity 1, not ready 1); using \"backup\"");
  }

  @Test
  void aSpreadOrCapacityFailureAlsoFallsBack() {
    // Given a primary with one region and a spread needing two
    PropagationPolicy p =
        policy(
            """
            clusterAffinities:
            - {affinityName: one-region, locations: {regions: [eu-west]}}
            - {affinityName: anywhere}
            spreadConstraints: [{spreadBy: region, minGroups: 2}]
            """);
    Decision d =
        schedule(
            configMap(),
            p,
            cluster("eu").build(),
            cluster("us").in("US", "us-east", "us-east-1a").build());
    assertThat(d.affinityName()).isEqualTo("anywhere");
    assertThat(d.placement()).containsOnlyKeys("eu", "us");
  }

  @Test
  void whenNoAffinityYieldsAPlacementEveryReasonIsKept() {
    Decision d = schedule(deployment(1), FALLBACK, cluster("dev").label("ring", "dev").build());
    assertThat(d.targets()).isEmpty();
    assertThat(d.affinityName()).isNull();
    assertThat(d.unschedulable())
        .isEqualTo(
            "no affinity yields a placement:"
                + " \"primary\": no cluster fits: of 1 cluster, excluded by affinity 1;"
                + " \"backup\": no cluster fits: of 1 cluster, excluded by affinity 1");
    assertThat(d.exclusions().get("dev"))
        .isEqualTo(
            List.of(
                "affinity \"primary\": labels do not match ring=prod",
                "affinity \"backup\": labels do not match ring=prod"));
  }
}
