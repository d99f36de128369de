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

/** Replica scheduling: Duplicated, Divided by static or dynamic weights, Aggregated. */
class DivisionTest {
  private final ClusterView a = cluster("a").cpus(8).build();
  private final ClusterView b = cluster("b").cpus(4).build();
  private final ClusterView c = cluster("c").cpus(2).build();

  private static final PropagationPolicy EQUAL = policy("replicaScheduling: {type: Divided}\n");

  private static final PropagationPolicy DYNAMIC =
      policy("replicaScheduling: {type: Divided, weights: {dynamic: AvailableReplicas}}\n");

  private static final PropagationPolicy AGGREGATED =
      policy("replicaScheduling: {type: Divided, division: Aggregated}\n");

  private static PropagationPolicy weights(String rules) {
    return policy(
        "replicaScheduling: {type: Divided, division: Weighted, weights: {static: "
            + rules
            + "}}\n");
  }

  @Test
  void duplicatedGivesEveryClusterAllReplicas() {
    Decision d =
        schedule(deployment(3), policy("replicaScheduling: {type: Duplicated}\n"), a, b, c);
    assertThat(d.placement()).isEqualTo(Map.of("a", 3, "b", 3, "c", 3));
    assertThat(d.warnings())
        .containsExactly(
            "capacity: c can take 2 of its 3 replicas (one replica requests cpu 1, memory 1Gi,"
                + " pods 1; allocatable cpu 2, memory 64Gi, pods 110)");
  }

  @Test
  void aKindWithoutReplicasIsOnlyPlaced() {
    Decision d = schedule(configMap(), EQUAL, a, b);
    assertThat(d.targets())
        .containsExactly(new Decision.Target("a", null), new Decision.Target("b", null));
  }

  @Test
  void staticWeightsTakeTheLargestMatchingRule() {
    // Given a weight 1 for everyone and 2 for "a"
    PropagationPolicy p =
        weights("[{clusters: {}, weight: 1}, {clusters: {names: [a]}, weight: 2}]");

    // When 8 replicas are divided: exact shares 4, 2, 2
    Decision d = schedule(deployment(8), p, a, b, c);

    assertThat(d.placement()).isEqualTo(Map.of("a", 4, "b", 2, "c", 2));
  }

  @Test
  void websterHandsOutRemaindersWithTiesByName() {
    // Given weights 3:2:2 and 5 replicas: shares 2.14, 1.43, 1.43; whole parts 2, 1, 1
    PropagationPolicy p =
        weights("[{clusters: {names: [a]}, weight: 3}, {clusters: {names: [b, c]}, weight: 2}]");

    // Then the last replica goes to the largest w/(2a+1): b and c tie at 2/3 > a's 3/5; b first
    Decision d = schedule(deployment(5), p, a, b, c);
    assertThat(d.placement()).isEqualTo(Map.of("a", 2, "b", 2, "c", 1));
  }

  @Test
  void weightZeroDropsAClusterAndAllZeroMeansEqual() {
    PropagationPolicy some =
        weights("[{clusters: {names: [a]}, weight: 1}, {clusters: {names: [b]}, weight: 0}]");
    Decision d = schedule(deployment(4), some, a, b, c);
    assertThat(d.placement()).isEqualTo(Map.of("a", 4));
    assertThat(d.exclusions())
        .containsEntry("b", List.of("weight: static weight is 0"))
        .containsEntry("c", List.of("weight: no static weight rule matches it"));

    PropagationPolicy allZero = weights("[{clusters: {names: [a]}, weight: 0}]");
    assertThat(schedule(deployment(3), allZero, a, b, c).placement())
        .isEqualTo(Map.of("a", 1, "b", 1, "c", 1));
    assertThat(schedule(deployment(3), EQUAL, a, b, c).placement())
        .isEqualTo(Map.of("a", 1, "b", 1, "c", 1));
  }

  @Test
  void staticWeightsByLabelsAndLocation() {
    ClusterView gold = cluster("gold").label("tier", "gold").in("FR", "eu-west", "z").build();
    ClusterView silver = cluster("silver").label("tier", "silver").build();
    PropagationPolicy p =
        weights(
            "[{clusters: {labelSelector: {matchLabels: {tier: gold}}}, weight: 3},"
                + " {clusters: {locations: {countries: [DE]}}, weight: 1}]");
    assertThat(schedule(deployment(8), p, gold, silver).placement())
        .isEqualTo(Map.of("gold", 6, "silver", 2));
  }

  @Test
  void dynamicWeightsFollowAvailableReplicas() {
    // Given room for 8, 4 and 2 one-cpu replicas
    Decision d = schedule(deployment(7), DYNAMIC, a, b, c);

    // Then 7 replicas split 4 : 2 : 1
    assertThat(d.placement()).isEqualTo(Map.of("a", 4, "b", 2, "c", 1));
  }

  @Test
  void dynamicWeightsFailWhenTheFleetIsTooSmall() {
    Decision d = schedule(deployment(20), DYNAMIC, a, b, c);
    assertThat(d.targets()).isEmpty();
    assertThat(d.unschedulable())
        .isEqualTo("capacity: the selected clusters can hold 14 replicas in all, 20 wanted");
  }

  @Test
  void aggregatedUsesTheFewestClusters() {
    assertThat(schedule(deployment(6), AGGREGATED, a, b, c).placement()).isEqualTo(Map.of("a", 6));
    Decision d = schedule(deployment(11), AGGREGATED, a, b, c);
    assertThat(d.placement()).isEqualTo(Map.of("a", 8, "b", 3));
    assertThat(d.exclusions().get("c"))
        .containsExactly("aggregated: not needed; the 11 replicas fit on 2 clusters");
  }

  @Test
  void aggregatedPrefersClustersAlreadyRunningSome() {
    SchedulingInput in =
        SchedulingInput.of(deployment(3), AGGREGATED, List.of(a, b, c))
            .withPrevious(Map.of("c", 1));
    // c keeps its replica and fills its room (2 cpu free besides it) before a new cluster
    assertThat(Scheduler.schedule(in).placement()).isEqualTo(Map.of("c", 3));
    // with one more replica than c can hold, the roomiest other cluster takes the rest
    SchedulingInput four =
        SchedulingInput.of(deployment(4), AGGREGATED, List.of(a, b, c))
            .withPrevious(Map.of("c", 1));
    assertThat(Scheduler.schedule(four).placement()).isEqualTo(Map.of("a", 1, "c", 3));
  }

  @Test
  void aggregatedPutsUntoleratedPreferNoScheduleClustersLast() {
    ClusterView spot = cluster("spot").cpus(100).taint("spot", "true", "PreferNoSchedule").build();
    assertThat(schedule(deployment(3), AGGREGATED, spot, b).placement()).isEqualTo(Map.of("b", 3));
  }

  @Test
  void scaleUpDividesOnlyTheDelta() {
    // Given 2:1 weights, and a current placement that is not 2:1
    PropagationPolicy p =
        weights("[{clusters: {names: [a]}, weight: 2}, {clusters: {names: [b]}, weight: 1}]");
    SchedulingInput in =
        SchedulingInput.of(deployment(9), p, List.of(a, b)).withPrevious(Map.of("a", 3, "b", 3));

    // When scaled from 6 to 9
    Decision d = Scheduler.schedule(in);

    // Then the 3 new replicas are divided 2:1 and nothing moves
    assertThat(d.placement()).isEqualTo(Map.of("a", 5, "b", 4));
  }

  @Test
  void scaleDownShrinksProportionally() {
    PropagationPolicy p =
        weights("[{clusters: {names: [a]}, weight: 2}, {clusters: {names: [b]}, weight: 1}]");
    SchedulingInput in =
        SchedulingInput.of(deployment(4), p, List.of(a, b)).withPrevious(Map.of("a", 3, "b", 5));
    assertThat(Scheduler.schedule(in).placement()).isEqualTo(Map.of("a", 2, "b", 2));
  }

  @Test
  void rebalanceRecomputesFromScratch() {
    PropagationPolicy p =
        weights("[{clusters: {names: [a]}, weight: 2}, {clusters: {names: [b]}, weight: 1}]");
    SchedulingInput in =
        SchedulingInput.of(deployment(9), p, List.of(a, b))
            .withPrevious(Map.of("a", 3, "b", 6))
            .withRebalance(true);
    assertThat(Scheduler.schedule(in).placement()).isEqualTo(Map.of("a", 6, "b", 3));
  }

  @Test
  void replicasOfAClusterThatDropsOutGoToTheOthers() {
    // Given "c" held 3 replicas and has been down for longer than the default toleration
    ClusterView cDown =
        cluster("c")
            .cpus(2)
            .ready("False")
            .taint("cluster.meridian.dev/not-ready", null, "NoExecute", "2026-12-07T12:00:00Z")
            .build();
    SchedulingInput in =
        SchedulingInput.of(deployment(9), EQUAL, List.of(a, b, cDown))
            .withPrevious(Map.of("a", 3, "b", 3, "c", 3))
            .withNow(java.time.Instant.parse("2026-12-07T12:01:00Z"));

    // Then a and b keep theirs and share c's
    Decision d = Scheduler.schedule(in);
    assertThat(d.placement()).isEqualTo(Map.of("a", 5, "b", 4));
  }

  @Test
  void dynamicScaleUpUsesTheRoomLeft() {
    // Given a holds 4 (its allocatable already counts them) and has room for 8 more; b for 4
    SchedulingInput in =
        SchedulingInput.of(deployment(10), DYNAMIC, List.of(a, b)).withPrevious(Map.of("a", 4));
    assertThat(Scheduler.schedule(in).placement()).isEqualTo(Map.of("a", 8, "b", 2));
  }

  @Test
  void zeroReplicasKeepsTheObjectEverywhere() {
    assertThat(schedule(deployment(0), EQUAL, a, b).placement()).isEqualTo(Map.of("a", 0, "b", 0));
  }

  @Test
  void fewerReplicasThanClustersLeavesSomeWithoutAndSaysSo() {
    Decision d = schedule(deployment(2), EQUAL, a, b, c);
    assertThat(d.placement()).isEqualTo(Map.of("a", 1, "b", 1));
    assertThat(d.exclusions().get("c"))
        .containsExactly("division: no replica left for it (2 replicas over 3 clusters)");
  }

  @Test
  void theDecisionIsTheSameWhateverTheOrderOfClusters() {
    PropagationPolicy p =
        weights("[{clusters: {names: [a]}, weight: 5}, {clusters: {}, weight: 3}]");
    Decision one = schedule(deployment(7), p, a, b, c);
    Decision two = schedule(deployment(7), p, c, a, b);
    assertThat(one).isEqualTo(two);
  }
}
