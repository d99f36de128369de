package dev.meridian.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.PropagationPolicy;
import dev.meridian.api.policy.ResidencyPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** What must hold for every fleet, policy and guardrail, not just the examples. */
class SchedulerPropertiesTest {
  private static final List<String> COUNTRIES = List.of("DE", "FR", "US", "IN");
  private static final List<String> REGIONS =
      List.of("eu-west", "eu-central", "us-east", "ap-south");
  private static final List<String> MODES =
      List.of("Equal", "Static", "Dynamic", "Aggregated", "Duplicated");

  /** One generated situation. */
  record Scenario(
      List<ClusterView> clusters,
      String mode,
      Map<String, Integer> weights,
      String spread,
      Set<String> allowedCountries,
      int replicas) {

    PropagationPolicy policy() {
      StringBuilder p = new StringBuilder();
      if (spread != null) {
        p.append("spreadConstraints: [").append(spread).append("]\n");
      }
      switch (mode) {
        case "Equal" -> p.append("replicaScheduling: {type: Divided}\n");
        case "Dynamic" ->
            p.append("replicaScheduling: {type: Divided, weights: {dynamic: AvailableReplicas}}\n");
        case "Aggregated" -> p.append("replicaScheduling: {type: Divided, division: Aggregated}\n");
        case "Duplicated" -> p.append("replicaScheduling: {type: Duplicated}\n");
        default -> {
          p.append("replicaScheduling: {type: Divided, weights: {static: [");
          List<String> rules = new ArrayList<>();
          weights.forEach(
              (c, w) -> rules.add("{clusters: {names: [" + c + "]}, weight: " + w + "}"));
          p.append(String.join(", ", rules)).append("]}}\n");
        }
      }
      return Fixtures.policy(p.toString());
    }

    ResidencyGuardrail guardrail() {
      if (allowedCountries == null) {
        return ResidencyGuardrail.NONE;
      }
      ResidencyPolicy r =
          Fixtures.residency(
              "eu", "{countries: " + allowedCountries.stream().sorted().toList() + "}", "Deny");
      return ResidencyGuardrail.forTemplate(Fixtures.deployment(1), Map.of(), List.of(r));
    }

    SchedulingInput input() {
      return new SchedulingInput(
              Fixtures.deployment("web", replicas, "1", "1Gi"),
              policy(),
              clusters,
              null,
              null,
              false,
              null)
          .withGuardrail(guardrail());
    }

    boolean divided() {
      return !mode.equals("Duplicated");
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<List<ClusterView>> clusters =
        Arbitraries.integers()
            .between(1, 10)
            .flatMap(n -> Arbitraries.longs().map(seed -> fleet(n, new Random(seed))));
    Arbitrary<String> mode = Arbitraries.of(MODES);
    Arbitrary<String> spread =
        Arbitraries.of(
            null,
            null,
            "{spreadBy: region, minGroups: 1, maxGroups: 2}",
            "{spreadBy: cluster, maxGroups: 3}",
            "{spreadBy: country, minGroups: 2}");
    Arbitrary<Set<String>> allowed =
        Arbitraries.of(COUNTRIES).set().ofMinSize(1).ofMaxSize(3).injectNull(0.4);
    Arbitrary<Integer> replicas = Arbitraries.integers().between(0, 60);
    return Combinators.combine(clusters, mode, spread, allowed, replicas, Arbitraries.longs())
        .as(
            (cs, m, s, a, r, seed) -> {
              Random rnd = new Random(seed);
              Map<String, Integer> w = new HashMap<>();
              for (ClusterView c : cs) {
                if (rnd.nextInt(4) > 0) {
                  w.put(c.name(), rnd.nextInt(6));
                }
              }
              return new Scenario(cs, m, w, s, a, r);
            });
  }

  private static List<ClusterView> fleet(int n, Random rnd) {
    List<ClusterView> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int place = rnd.nextInt(COUNTRIES.size());
      Fixtures.ClusterBuilder b =
          Fixtures.cluster("c" + i)
              .in(
                  COUNTRIES.get(place),
                  REGIONS.get(place),
                  REGIONS.get(place) + "-" + rnd.nextInt(2))
              .cpus(rnd.nextInt(24))
              .ready(rnd.nextInt(8) == 0 ? "False" : "True");
      if (rnd.nextInt(6) == 0) {
        b.taint("maintenance", "true", "NoSchedule");
      }
      out.add(b.build());
    }
    return out;
  }

  @Property
  void dividedReplicasSumToTheTarget(@ForAll("scenarios") Scenario s) {
    Decision d = Scheduler.schedule(s.input());
    if (d.isScheduled() && s.divided()) {
      assertThat(d.targets().stream().mapToInt(Decision.Target::replicas).sum())
          .isEqualTo(s.replicas());
    }
    if (d.isScheduled() && !s.divided()) {
      assertThat(d.targets()).allMatch(t -> t.replicas() == s.replicas());
    }
  }

  @Property
  void staticWeightsAreRespectedWithinOneReplica(@ForAll("scenarios") Scenario s) {
    if (!s.mode().equals("Static") && !s.mode().equals("Equal")) {
      return;
    }
    Decision d = Scheduler.schedule(s.input());
    if (!d.isScheduled() || s.replicas() == 0) {
      return;
    }
    // the clusters the replicas were divided among: targets and those left with no replica
    Map<String, Integer> got = new HashMap<>(d.placement());
    d.exclusions()
        .forEach(
            (c, rs) -> {
              if (rs.stream().allMatch(r -> r.startsWith("division:"))) {
                got.put(c, 0);
              }
            });
    Map<String, Long> w = new HashMap<>();
    boolean anyPositive =
        s.mode().equals("Static")
            && got.keySet().stream().anyMatch(c -> s.weights().getOrDefault(c, 0) > 0);
    got.keySet().forEach(c -> w.put(c, anyPositive ? (long) s.weights().getOrDefault(c, 0) : 1L));
    long total = w.values().stream().mapToLong(Long::longValue).sum();
    for (String c : got.keySet()) {
      double share = (double) s.replicas() * w.get(c) / total;
      assertThat((double) got.get(c))
          .as(c + " share " + share)
          .isCloseTo(share, org.assertj.core.data.Offset.offset(0.999999));
    }
  }

  @Property
  void everyClusterIsATargetOrExcludedNeverBoth(@ForAll("scenarios") Scenario s) {
    Decision d = Scheduler.schedule(s.input());
    Set<String> targets = d.placement().keySet();
    assertThat(Collections.disjoint(targets, d.exclusions().keySet())).as(d.toString()).isTrue();
    Set<String> all = new HashSet<>(targets);
    all.addAll(d.exclusions().keySet());
    assertThat(all)
        .containsExactlyInAnyOrderElementsOf(s.clusters().stream().map(ClusterView::name).toList());
    d.exclusions().values().forEach(rs -> assertThat(rs).isNotEmpty());
    // nothing not ready or with an untolerated NoSchedule taint is a target of a first decision
    for (ClusterView c : s.clusters()) {
      if (!c.isReady() || !c.taints().isEmpty()) {
        assertThat(targets).doesNotContain(c.name());
      }
    }
  }

  @Property
  void aDenyGuardrailIsNeverViolated(@ForAll("scenarios") Scenario s) {
    Decision d = Scheduler.schedule(s.input());
    if (s.allowedCountries() == null) {
      return;
    }
    Map<String, String> country = new HashMap<>();
    s.clusters().forEach(c -> country.put(c.name(), c.location().country()));
    for (Decision.Target t : d.targets()) {
      assertThat(s.allowedCountries()).contains(country.get(t.cluster()));
    }
  }

  @Property
  void theSameInputGivesTheSameDecisionInAnyClusterOrder(
      @ForAll("scenarios") Scenario s, @ForAll long seed) {
    List<ClusterView> shuffled = new ArrayList<>(s.clusters());
    Collections.shuffle(shuffled, new Random(seed));
    assertThat(Scheduler.schedule(s.input().withClusters(shuffled)))
        .isEqualTo(Scheduler.schedule(s.input()));
  }

  @Property
  void scaleUpKeepsEveryReplicaAndScaleDownTakesOnlyAway(
      @ForAll("scenarios") Scenario s, @ForAll @IntRange(min = 0, max = 60) int next) {
    if (!s.divided()) {
      return;
    }
    Decision first = Scheduler.schedule(s.input());
    if (!first.isScheduled()) {
      return;
    }
    Map<String, Integer> prev = first.placement();
    SchedulingInput again =
        new SchedulingInput(
                Fixtures.deployment("web", next, "1", "1Gi"),
                s.policy(),
                s.clusters(),
                s.guardrail(),
                null,
                false,
                null)
            .withPrevious(prev);
    Decision second = Scheduler.schedule(again);
    if (!second.isScheduled()) {
      return;
    }
    Map<String, Integer> now = second.placement();
    assertThat(now.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(next);
    for (Map.Entry<String, Integer> e : prev.entrySet()) {
      int after = now.getOrDefault(e.getKey(), 0);
      if (next >= s.replicas()) {
        assertThat(after).as("scale-up keeps " + e.getKey()).isGreaterThanOrEqualTo(e.getValue());
      } else {
        assertThat(after).as("scale-down shrinks " + e.getKey()).isLessThanOrEqualTo(e.getValue());
      }
    }
    if (next >= s.replicas()) {
      // only the added replicas are placed anew
      int moved = 0;
      for (Map.Entry<String, Integer> e : now.entrySet()) {
        moved += e.getValue() - prev.getOrDefault(e.getKey(), 0);
      }
      assertThat(moved).isEqualTo(next - s.replicas());
    }
  }

  @Property
  void dynamicAndAggregatedNeverExceedCapacity(@ForAll("scenarios") Scenario s) {
    if (!s.mode().equals("Dynamic") && !s.mode().equals("Aggregated")) {
      return;
    }
    Decision d = Scheduler.schedule(s.input());
    Map<String, ClusterView> byName = new HashMap<>();
    s.clusters().forEach(c -> byName.put(c.name(), c));
    for (Decision.Target t : d.targets()) {
      Resources alloc = byName.get(t.cluster()).allocatable();
      assertThat(t.replicas()).isLessThanOrEqualTo(alloc.fit(new Resources(1000L, 1L << 30, 1L)));
    }
  }

  @Property(tries = 50)
  void clusterViewsFromClusterObjectsAreReadWithoutCrashing(
      @ForAll @IntRange(min = 0, max = 999) int cpu) {
    Cluster c =
        Typed.read(
            Fixtures.yaml(
                "apiVersion: fleet.meridian.dev/v1alpha1\nkind: Cluster\nmetadata: {name: x}\n"
                    + "status: {allocatable: {cpu: \""
                    + cpu
                    + "m\"}}\n"),
            Cluster.class);
    assertThat(ClusterView.of(c).allocatable().cpuMillis()).isEqualTo(cpu);
  }
}
