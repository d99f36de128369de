package dev.meridian.scheduler;

import static dev.meridian.scheduler.Fixtures.cluster;
import static dev.meridian.scheduler.Fixtures.configMap;
import static dev.meridian.scheduler.Fixtures.deployment;
import static dev.meridian.scheduler.Fixtures.policy;
import static dev.meridian.scheduler.Fixtures.schedule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.policy.PropagationPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spread constraints by cluster, region, zone, provider and country. */
class SpreadTest {
  private final ClusterView eu1 = cluster("eu-1").in("DE", "eu-west", "eu-west-a").cpus(32).build();
  private final ClusterView eu2 = cluster("eu-2").in("DE", "eu-west", "eu-west-b").cpus(8).build();
  private final ClusterView us1 =
      cluster("us-1").in("US", "us-east", "us-east-a").provider("gcp").cpus(16).build();
  private final ClusterView ap1 =
      cluster("ap-1").in("IN", "ap-south", "ap-south-a").provider("azure").cpus(4).build();

  @Test
  void tooFewGroupsMakesTheTemplateUnschedulable() {
    PropagationPolicy p = policy("spreadConstraints: [{spreadBy: region, minGroups: 2}]\n");
    Decision d = schedule(configMap(), p, eu1, eu2);
    assertThat(d.targets()).isEmpty();
    assertThat(d.unschedulable())
        .isEqualTo("spread: 1 region feasible [eu-west]; spreadConstraints need at least 2");
  }

  @Test
  void maxGroupsKeepsTheGroupsWithTheMostCapacity() {
    // Given three regions: eu-west (40 cpu), us-east (16), ap-south (4)
    PropagationPolicy p =
        policy("spreadConstraints: [{spreadBy: region, minGroups: 1, maxGroups: 2}]\n");

    // When a template is spread over at most 2 regions
    Decision d = schedule(deployment(2), p, eu1, eu2, us1, ap1);

    // Then the two roomiest regions are kept
    assertThat(d.placement()).containsOnlyKeys("eu-1", "eu-2", "us-1");
    assertThat(d.exclusions().get("ap-1"))
        .containsExactly(
            "spread: region ap-south not among the 2 regions chosen [eu-west, us-east]");
  }

  @Test
  void groupsHoldingTheTemplateAreKeptForStability() {
    PropagationPolicy p = policy("spreadConstraints: [{spreadBy: region, maxGroups: 1}]\n");
    SchedulingInput in =
        SchedulingInput.of(deployment(2), p, List.of(eu1, eu2, us1, ap1))
            .withPrevious(Map.of("ap-1", 2));
    assertThat(Scheduler.schedule(in).placement()).containsOnlyKeys("ap-1");
    assertThat(Scheduler.schedule(in.withRebalance(true)).placement())
        .containsOnlyKeys("eu-1", "eu-2");
  }

  @Test
  void aClusterLimitStillCoversTheRegionsNeeded() {
    // Given at most 2 clusters but at least 2 regions
    PropagationPolicy p =
        policy(
            """
            spreadConstraints:
            - {spreadBy: cluster, maxGroups: 2}
            - {spreadBy: region, minGroups: 2}
            """);

    // When scheduled: the two roomiest clusters are both in eu-west
    Decision d = schedule(configMap(), p, eu1, eu2, us1, ap1);

    // Then the second pick comes from another region
    assertThat(d.placement()).containsOnlyKeys("eu-1", "us-1");
    assertThat(d.exclusions().get("eu-2"))
        .containsExactly("spread: not among the 2 clusters chosen [eu-1, us-1]");
  }

  @Test
  void providerZoneAndCountryGroupToo() {
    assertThat(
            schedule(
                    configMap(),
                    policy("spreadConstraints: [{spreadBy: provider, maxGroups: 1}]\n"),
                    eu1,
                    eu2,
                    us1,
                    ap1)
                .placement())
        .containsOnlyKeys("eu-1", "eu-2");
    assertThat(
            schedule(
                    configMap(),
                    policy("spreadConstraints: [{spreadBy: zone, maxGroups: 3}]\n"),
                    eu1,
                    eu2,
                    us1,
                    ap1)
                .placement())
        .containsOnlyKeys("eu-1", "eu-2", "us-1");
    assertThat(
            schedule(
                    configMap(),
                    policy("spreadConstraints: [{spreadBy: country, minGroups: 4}]\n"),
                    eu1,
                    eu2,
                    us1,
                    ap1)
                .unschedulable())
        .isEqualTo("spread: 3 countries feasible [DE, IN, US]; spreadConstraints need at least 4");
  }

  @Test
  void aClusterWithoutTheFieldIsLeftOut() {
    ClusterView blank = cluster("blank").in("DE", null, null).build();
    Decision d =
        schedule(configMap(), policy("spreadConstraints: [{spreadBy: zone}]\n"), eu1, blank);
    assertThat(d.exclusions().get("blank"))
        .containsExactly("spread: no zone set; spreadConstraints spread by zone");
  }

  @Test
  void aggregatedDivisionStillCoversMinGroups() {
    // Given Aggregated replicas that one cluster could hold, and two regions required
    PropagationPolicy p =
        policy(
            """
            spreadConstraints: [{spreadBy: region, minGroups: 2}]
            replicaScheduling: {type: Divided, division: Aggregated}
            """);
    Decision d = schedule(deployment(6), p, eu1, eu2, us1);
    assertThat(d.placement()).isEqualTo(Map.of("eu-1", 5, "us-1", 1));
  }

  @Test
  void fewerReplicasThanGroupsIsAWarning() {
    PropagationPolicy p =
        policy(
            """
            spreadConstraints: [{spreadBy: region, minGroups: 2}]
            replicaScheduling: {type: Divided}
            """);
    Decision d = schedule(deployment(1), p, eu1, us1);
    assertThat(d.placement()).isEqualTo(Map.of("eu-1", 1));
    assertThat(d.warnings())
        .contains("spread: the replicas (1) land in 1 region, fewer than minGroups 2");
  }

  @Test
  void contradictoryBoundsAreUnschedulableNotAnEmptyPlacement() {
    // Given bounds the validator rejects, reaching the scheduler anyway
    Decision inverted =
        schedule(
            configMap(),
            policy("spreadConstraints: [{spreadBy: region, minGroups: 3, maxGroups: 2}]\n"),
            eu1,
            us1,
            ap1);
    Decision zero =
        schedule(
            configMap(), policy("spreadConstraints: [{spreadBy: zone, maxGroups: 0}]\n"), eu1, us1);

    // Then both say why and place nothing
    assertThat(inverted.unschedulable())
        .isEqualTo("spread: maxGroups 2 of region is below its minGroups 3");
    assertThat(inverted.exclusions()).containsOnlyKeys("eu-1", "us-1", "ap-1");
    assertThat(zero.unschedulable())
        .isEqualTo("spread: maxGroups 0 of zone is below its minGroups 1");
    assertThat(zero.targets()).isEmpty();
  }
}
