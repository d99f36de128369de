package dev.meridian.scheduler;

import static dev.meridian.scheduler.Fixtures.cluster;
import static dev.meridian.scheduler.Fixtures.configMap;
import static dev.meridian.scheduler.Fixtures.deployment;
import static dev.meridian.scheduler.Fixtures.policy;
import static dev.meridian.scheduler.Fixtures.schedule;
import static dev.meridian.scheduler.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.policy.PropagationPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each per-cluster filter, with the reason it gives. */
class FiltersTest {
  private static final PropagationPolicy ANYWHERE = policy("");

  @Test
  void aClusterThatIsNotReadyIsLeftOutWithItsState() {
    // Given clusters whose Ready condition is False, Unknown or missing
    ClusterView down = cluster("down").ready("False").build();
    ClusterView silent = cluster("silent").ready("Unknown").build();
    ClusterView fresh = cluster("fresh").ready(null).build();
    ClusterView ok = cluster("ok").build();

    // When a template is scheduled
    Decision d = schedule(configMap(), ANYWHERE, down, silent, fresh, ok);

    // Then only the ready one is chosen and each other says why
    assertThat(d.placement()).containsOnlyKeys("ok");
    assertThat(d.exclusions())
        .containsEntry("down", List.of("not ready: Ready=False"))
        .containsEntry("silent", List.of("not ready: Ready=Unknown"))
        .containsEntry("fresh", List.of("not ready: no Ready condition reported"));
  }

  @Test
  void toleratingTheHealthTaintKeepsAnUnreadyCluster() {
    // Given a policy tolerating unreachable clusters, and a cluster that stopped answering
    PropagationPolicy p =
        policy(
            """
            clusterTolerations:
            - {key: cluster.meridian.dev/unreachable, operator: Exists}
            """);
    ClusterView silent =
        cluster("silent")
            .ready("Unknown")
            .taint("cluster.meridian.dev/unreachable", null, "NoExecute")
            .build();
    ClusterView down = cluster("down").ready("False").build();

    // When scheduled
    Decision d = schedule(configMap(), p, silent, down);

    // Then the unreachable one stays eligible; a not-ready one is another state, not tolerated
    assertThat(d.placement()).containsOnlyKeys("silent");
    assertThat(d.exclusions().get("down")).containsExactly("not ready: Ready=False");
  }

  @Test
  void tolerationSecondsKeepAHoldingClusterUntilTheTaintIsThatOld() {
    // Given: unreachable since 12:00:00, tolerated for 30 s; the cluster holds the template
    PropagationPolicy p =
        policy(
            """
            clusterTolerations:
            - {key: cluster.meridian.dev/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}
            """);
    ClusterView silent =
        cluster("silent")
            .ready("Unknown")
            .taint("cluster.meridian.dev/unreachable", null, "NoExecute", "2026-12-07T12:00:00Z")
            .build();
    ClusterView ok = cluster("ok").build();
    SchedulingInput held =
        SchedulingInput.of(configMap(), p, List.of(silent, ok))
            .withPrevious(Map.of("silent", 0, "ok", 0));

    // When judged 10 s, then 30 s after the taint
    Decision early = Scheduler.schedule(held.withNow(Instant.parse("2026-12-07T12:00:10Z")));
    Decision late = Scheduler.schedule(held.withNow(Instant.parse("2026-12-07T12:00:30Z")));
    // and for a first placement, 10 s after
    Decision fresh =
        Scheduler.schedule(
            SchedulingInput.of(configMap(), p, List.of(silent, ok))
                .withNow(Instant.parse("2026-12-07T12:00:10Z")));
    // and without a clock (meridian plan)
    Decision noClock = Scheduler.schedule(held);

    // Then it keeps its place for the toleration, to be judged again when that runs out
    assertThat(early.placement()).containsOnlyKeys("silent", "ok");
    assertThat(early.recheckAfter()).isEqualTo(Duration.ofSeconds(20));
    // then it is evicted, saying why
    assertThat(late.placement()).containsOnlyKeys("ok");
    assertThat(late.exclusions().get("silent"))
        .containsExactly(
            "not ready: Ready=Unknown (tolerated for 30s since 2026-12-07T12:00:00Z: evicted)");
    assertThat(late.recheckAfter()).isNull();
    // a tainted cluster gets no new placement
    assertThat(fresh.placement()).containsOnlyKeys("ok");
    assertThat(fresh.exclusions().get("silent").get(0)).contains("not for a new placement");
    assertThat(noClock.placement()).containsOnlyKeys("silent", "ok");
  }

  @Test
  void failoverTolerationSecondsCoverTheHealthTaintsOnly() {
    // Given: spec.failover.tolerationSeconds 5, no clusterTolerations
    PropagationPolicy p =
        dev.meridian.api.Typed.read(
            yaml(
                """
                apiVersion: policy.meridian.dev/v1alpha1
                kind: PropagationPolicy
                metadata: {name: web, namespace: shop}
                spec:
                  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
                  failover: {tolerationSeconds: 5}
                """),
            PropagationPolicy.class);
    ClusterView silent =
        cluster("silent")
            .ready("Unknown")
            .taint("cluster.meridian.dev/unreachable", null, "NoExecute", "2026-12-07T12:00:00Z")
            .build();
    ClusterView gpu =
        cluster("gpu").taint("gpu", null, "NoExecute", "2026-12-07T12:00:00Z").build();
    SchedulingInput held =
        SchedulingInput.of(configMap(), p, List.of(silent, gpu))
            .withPrevious(Map.of("silent", 0, "gpu", 0));

    // When judged 3 s, then 6 s after the taints
    Decision early = Scheduler.schedule(held.withNow(Instant.parse("2026-12-07T12:00:03Z")));
    Decision late = Scheduler.schedule(held.withNow(Instant.parse("2026-12-07T12:00:06Z")));

    // Then the unreachable cluster stays for 5 s; another NoExecute taint evicts at once
    assertThat(early.placement()).containsOnlyKeys("silent");
    assertThat(early.recheckAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(early.exclusions().get("gpu"))
        .containsExactly("taint: gpu:NoExecute is not tolerated");
    assertThat(late.isScheduled()).isFalse();
    assertThat(late.exclusions().get("silent").get(0))
        .endsWith("tolerated for 5s since 2026-12-07T12:00:00Z: evicted)");
  }

  @Test
  void withoutAnyTolerationAHoldingClusterKeepsItsPlacementForTheDefault() {
    // Given: a policy that says nothing about failover; silent holds the template, down does not
    ClusterView silent =
        cluster("silent")
            .ready("Unknown")
            .taint("cluster.meridian.dev/unreachable", null, "NoExecute", "2026-12-07T12:00:00Z")
            .build();
    ClusterView down =
        cluster("down")
            .ready("False")
            .taint("cluster.meridian.dev/not-ready", null, "NoExecute", "2026-12-07T12:00:00Z")
            .build();
    ClusterView ok = cluster("ok").build();
    SchedulingInput held =
        SchedulingInput.of(configMap(), ANYWHERE, List.of(silent, down, ok))
            .withPrevious(Map.of("silent", 0, "ok", 0));

    // When judged 10 s, then 30 s after the taint
    Decision early = Scheduler.schedule(held.withNow(Instant.parse("2026-12-07T12:00:10Z")));
    Decision late = Scheduler.schedule(held.withNow(Instant.parse("2026-12-07T12:00:30Z")));

    // Then a blip moves nothing: silent keeps its place for the default 30 s, then leaves
    assertThat(early.placement()).containsOnlyKeys("silent", "ok");
    assertThat(early.recheckAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(late.placement()).containsOnlyKeys("ok");
    assertThat(late.exclusions().get("silent"))
        .containsExactly(
            "not ready: Ready=Unknown (tolerated for 30s by default since 2026-12-07T12:00:00Z:"
                + " evicted)");
    // and the default never makes a new placement on an unhealthy cluster
    assertThat(early.exclusions().get("down")).containsExactly("not ready: Ready=False");

    // With failover.tolerationSeconds 0 the holding cluster leaves at once
    PropagationPolicy now =
        dev.meridian.api.Typed.read(
            yaml(
                """
                apiVersion: policy.meridian.dev/v1alpha1
                kind: PropagationPolicy
                metadata: {name: web, namespace: shop}
                spec:
                  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
                  failover: {tolerationSeconds: 0}
                """),
            PropagationPolicy.class);
    Decision atOnce =
        Scheduler.schedule(
            SchedulingInput.of(configMap(), now, List.of(silent, ok))
                .withPrevious(Map.of("silent", 0, "ok", 0))
                .withNow(Instant.parse("2026-12-07T12:00:01Z")));
    assertThat(atOnce.placement()).containsOnlyKeys("ok");
  }

  @Test
  void untoleratedNoScheduleAndNoExecuteTaintsExclude() {
    // Given tainted clusters
    ClusterView maint = cluster("maint").taint("maintenance", "true", "NoSchedule").build();
    ClusterView evict = cluster("evict").taint("gpu", null, "NoExecute").build();
    ClusterView soft = cluster("soft").taint("spot", "yes", "PreferNoSchedule").build();

    // When scheduled without tolerations
    Decision d = schedule(configMap(), ANYWHERE, maint, evict, soft);

    // Then NoSchedule and NoExecute exclude, PreferNoSchedule does not
    assertThat(d.placement()).containsOnlyKeys("soft");
    assertThat(d.exclusions())
        .containsEntry("maint", List.of("taint: maintenance=true:NoSchedule is not tolerated"))
        .containsEntry("evict", List.of("taint: gpu:NoExecute is not tolerated"));
  }

  @Test
  void tolerationsFollowKubernetesSemantics() {
    // Given one taint per cluster
    ClusterView a = cluster("a").taint("team", "blue", "NoSchedule").build();
    ClusterView b = cluster("b").taint("team", "red", "NoSchedule").build();
    ClusterView c = cluster("c").taint("zone", "x", "NoExecute").build();
    ClusterView d = cluster("d").taint("dedicated", "ml", "NoSchedule").build();

    // When the policy tolerates team=blue (Equal), zone (Exists, any effect),
    // and dedicated only for NoExecute
    PropagationPolicy p =
        policy(
            """
            clusterTolerations:
            - {key: team, operator: Equal, value: blue, effect: NoSchedule}
            - {key: zone, operator: Exists}
            - {key: dedicated, operator: Exists, effect: NoExecute}
            """);
    Decision decision = schedule(configMap(), p, a, b, c, d);

    // Then a value mismatch and an effect mismatch are not tolerated
    assertThat(decision.placement()).containsOnlyKeys("a", "c");
    assertThat(decision.exclusions()).containsOnlyKeys("b", "d");
  }

  @Test
  void anEmptyKeyWithExistsToleratesEveryTaint() {
    PropagationPolicy p = policy("clusterTolerations: [{operator: Exists}]\n");
    Decision d =
        schedule(
            configMap(),
            p,
            cluster("a").taint("x", "1", "NoSchedule").taint("y", null, "NoExecute").build());
    assertThat(d.placement()).containsOnlyKeys("a");
  }

  @Test
  void aCordonedClusterRefusesNewPlacements() {
    // Given a Cluster with spec.unschedulable
    ClusterView cordoned =
        ClusterView.of(
            dev.meridian.api.Typed.read(
                yaml(
                    """
                    apiVersion: fleet.meridian.dev/v1alpha1
                    kind: Cluster
                    metadata: {name: cordoned}
                    spec: {unschedulable: true}
                    status: {conditions: [{type: Ready, status: "True"}]}
                    """),
                dev.meridian.api.fleet.Cluster.class));

    // When scheduled
    Decision d = schedule(configMap(), ANYWHERE, cordoned);

    // Then it says so as a NoSchedule taint
    assertThat(d.unschedulable()).isNotNull();
    assertThat(d.exclusions().get("cordoned"))
        .containsExactly("taint: cluster.meridian.dev/unschedulable:NoSchedule is not tolerated");
  }

  @Test
  void noScheduleDoesNotEvictAClusterThatAlreadyHoldsTheTemplate() {
    // Given a cluster that got a NoSchedule taint after it received replicas
    ClusterView a = cluster("a").taint("maintenance", "true", "NoSchedule").build();
    ClusterView b = cluster("b").build();
    PropagationPolicy p = policy("replicaScheduling: {type: Divided}\n");
    SchedulingInput in =
        SchedulingInput.of(deployment(4), p, List.of(a, b)).withPrevious(Map.of("a", 2, "b", 2));

    // When scheduled again, and when rebalanced
    Decision kept = Scheduler.schedule(in);
    Decision rebalanced = Scheduler.schedule(in.withRebalance(true));

    // Then it keeps its replicas (with a warning) until a rebalance
    assertThat(kept.placement()).isEqualTo(Map.of("a", 2, "b", 2));
    assertThat(kept.warnings())
        .contains(
            "taint: a keeps its placement despite maintenance=true:NoSchedule"
                + " (NoSchedule only refuses new placements)");
    assertThat(rebalanced.placement()).isEqualTo(Map.of("b", 4));
  }

  @Test
  void affinityNamesLabelsLocationsVersionAndExclude() {
    // Given a policy using every affinity field
    PropagationPolicy p =
        policy(
            """
            clusterAffinity:
              names: [a, b, c, d, e, f, g]
              labelSelector: {matchLabels: {ring: prod}}
              locations: {regions: [eu-west], zones: [eu-west-a], countries: [DE], providers: [aws]}
              kubernetesVersion: {min: "1.28", max: "1.30"}
              exclude: [g]
            """);
    ClusterView a = cluster("a").label("ring", "prod").build();
    ClusterView b = cluster("b").label("ring", "canary").build();
    ClusterView c = cluster("c").label("ring", "prod").in("FR", "eu-south", "eu-south-1").build();
    ClusterView d = cluster("d").label("ring", "prod").provider("gcp").build();
    ClusterView e = cluster("e").label("ring", "prod").version("v1.27.9").build();
    ClusterView f = cluster("f").label("ring", "prod").version("v1.31.0").build();
    ClusterView g = cluster("g").label("ring", "prod").build();
    ClusterView h = cluster("h").label("ring", "prod").build();

    // When scheduled
    Decision dec = schedule(configMap(), p, a, b, c, d, e, f, g, h);

    // Then only "a" qualifies, and every mismatch is named
    assertThat(dec.placement()).containsOnlyKeys("a");
    assertThat(dec.exclusions())
        .containsEntry("b", List.of("affinity: labels do not match ring=prod"))
        .containsEntry(
            "c",
            List.of(
                "affinity: region eu-south not in [eu-west]",
                "affinity: zone eu-south-1 not in [eu-west-a]",
                "affinity: country FR not in [DE]"))
        .containsEntry("d", List.of("affinity: provider gcp not in [aws]"))
        .containsEntry(
            "e", List.of("affinity: kubernetes version v1.27.9 is below the minimum 1.28"))
        .containsEntry(
            "f", List.of("affinity: kubernetes version v1.31.0 is above the maximum 1.30"))
        .containsEntry("g", List.of("affinity: excluded by name"))
        .containsEntry("h", List.of("affinity: not among the names [a, b, c, d, e, f, g]"));
  }

  @Test
  void unknownLocationOrVersionFailsAnAffinityThatConstrainsIt() {
    PropagationPolicy p =
        policy(
            """
            clusterAffinity:
              locations: {countries: [DE]}
              kubernetesVersion: {min: "1.28"}
            """);
    ClusterView blank = cluster("blank").in(null, "r", "z").version(null).build();
    Decision d = schedule(configMap(), p, blank);
    assertThat(d.exclusions().get("blank"))
        .containsExactly(
            "affinity: country unknown, must be one of [DE]",
            "affinity: kubernetes version unknown, policy requires at least 1.28");
  }

  @Test
  void anApiRemovedInTheClustersVersionIsNotSentThere() {
    // Given an extensions/v1beta1 Deployment and clusters of several versions
    var old =
        yaml(
            "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
                + "spec: {replicas: 1}\n");
    Decision d =
        schedule(
            old,
            Fixtures.policyFor("extensions/v1beta1", "Deployment", ""),
            cluster("v115").version("v1.15.12").build(),
            cluster("v116").version("v1.16.0").build(),
            cluster("unknown").version(null).build());

    // Then it goes only where the API still exists (or the version is unknown)
    assertThat(d.placement()).containsOnlyKeys("v115", "unknown");
    assertThat(d.exclusions().get("v116"))
        .containsExactly(
            "api: extensions/v1beta1 Deployment was removed in Kubernetes 1.16; cluster runs v1.16.0");
  }

  @Test
  void apisIntroducedLaterAndDiscoveryAreHonoured() {
    // Given an autoscaling/v2 HPA, a batch/v1 CronJob and a CRD
    var hpa =
        yaml(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: shop}\n");
    var cron = yaml("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: shop}\n");
    var cronOld =
        yaml("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c, namespace: shop}\n");
    var widget =
        yaml("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: shop}\n");
    ClusterView v122 = cluster("v122").version("v1.22.17").build();
    ClusterView v125 =
        cluster("v125").version("v1.25.0").served("v1", "apps/v1", "batch/v1").build();
    ClusterView v130 = cluster("v130").version("v1.30.2").served("v1", "example.com/v1").build();

    // When each is scheduled
    Decision dh =
        schedule(
            hpa,
            Fixtures.policyFor("autoscaling/v2", "HorizontalPodAutoscaler", ""),
            v122,
            v125,
            v130);
    Decision dc = schedule(cron, Fixtures.policyFor("batch/v1", "CronJob", ""), v122, v125, v130);
    Decision dco =
        schedule(cronOld, Fixtures.policyFor("batch/v1beta1", "CronJob", ""), v122, v125, v130);
    Decision dw =
        schedule(widget, Fixtures.policyFor("example.com/v1", "Widget", ""), v122, v125, v130);

    // Then the built-in table and each member's discovery decide
    assertThat(dh.exclusions().get("v122"))
        .containsExactly(
            "api: autoscaling/v2 HorizontalPodAutoscaler is served from Kubernetes 1.23; cluster runs v1.22.17");
    assertThat(dh.exclusions().get("v125"))
        .containsExactly("api: autoscaling/v2 is not served by the cluster (its discovery)");
    assertThat(dc.placement()).containsOnlyKeys("v122", "v125");
    assertThat(dc.exclusions().get("v130"))
        .containsExactly("api: batch/v1 is not served by the cluster (its discovery)");
    assertThat(dco.placement()).containsOnlyKeys("v122");
    assertThat(dco.exclusions().get("v125"))
        .containsExactly(
            "api: batch/v1beta1 CronJob was removed in Kubernetes 1.25; cluster runs v1.25.0");
    assertThat(dw.placement()).containsOnlyKeys("v122", "v130");
  }

  @Test
  void dynamicWeightsLeaveOutAClusterWithoutRoomForOneReplica() {
    // Given a full cluster and one of unknown capacity
    PropagationPolicy p =
        policy(
            """
            replicaScheduling: {type: Divided, division: Weighted, weights: {dynamic: AvailableReplicas}}
            """);
    ClusterView full = cluster("full").allocatable(new Resources(500L, 64L << 30, 110L)).build();
    ClusterView unknown = cluster("unknown").allocatable(null).build();
    ClusterView roomy = cluster("roomy").build();

    // When a Deployment of 1-cpu replicas is scheduled
    Decision d = schedule(deployment(3), p, full, unknown, roomy);

    // Then the full and the unknown clusters are left out, with their numbers
    assertThat(d.placement()).isEqualTo(Map.of("roomy", 3));
    assertThat(d.exclusions())
        .containsEntry(
            "full",
            List.of(
                "capacity: no room for one replica (one replica requests cpu 1, memory 1Gi,"
                    + " pods 1; allocatable cpu 500m, memory 64Gi, pods 110)"))
        .containsEntry(
            "unknown",
            List.of(
                "capacity: status.allocatable unknown; dynamic weights (AvailableReplicas) needs it"));
  }

  @Test
  void everyReasonThatAppliesIsListed() {
    // Given a cluster failing several filters at once
    ClusterView bad =
        cluster("bad")
            .ready("False")
            .taint("maintenance", "true", "NoSchedule")
            .label("ring", "canary")
            .build();
    PropagationPolicy p = policy("clusterAffinity: {labelSelector: {matchLabels: {ring: prod}}}\n");

    // When scheduled
    Decision d = schedule(configMap(), p, bad);

    // Then all reasons are there, and the summary counts them
    assertThat(d.exclusions().get("bad"))
        .containsExactly(
            "not ready: Ready=False",
            "taint: maintenance=true:NoSchedule is not tolerated",
            "affinity: labels do not match ring=prod");
    assertThat(d.unschedulable())
        .isEqualTo("no cluster fits: of 1 cluster, excluded by affinity 1, not ready 1, taint 1");
    assertThat(d.targets()).isEmpty();
  }
}
