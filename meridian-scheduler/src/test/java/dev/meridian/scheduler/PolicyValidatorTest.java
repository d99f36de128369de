package dev.meridian.scheduler;

import static dev.meridian.scheduler.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.FieldError;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bad policies are rejected with a precise path, doubtful ones accepted with a warning. */
class PolicyValidatorTest {
  private static PolicyValidator.Report check(String spec) {
    return PolicyValidator.validate(
        yaml(
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: PropagationPolicy
            metadata: {name: web, namespace: shop}
            spec:
            """
                + spec.stripIndent().lines().map(l -> "  " + l + "\n").reduce("", String::concat)),
        Set.of("eu-1", "us-1"));
  }

  private static final String SELECTORS =
      "resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n";

  @Test
  void aSoundPolicyHasNoFindings() {
    PolicyValidator.Report r =
        check(
            SELECTORS
                + """
                placement:
                  clusterAffinity: {names: [eu-1], labelSelector: {matchLabels: {ring: prod}}, kubernetesVersion: {min: "1.28", max: "1.31"}}
                  clusterTolerations: [{key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 30}]
                  spreadConstraints: [{spreadBy: region, minGroups: 1, maxGroups: 2}]
                  replicaScheduling: {type: Divided, division: Weighted, weights: {static: [{clusters: {names: [us-1]}, weight: 2}]}}
                """);
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void minGroupsAboveMaxGroupsIsAnError() {
    PolicyValidator.Report r =
        check(
            SELECTORS
                + "placement: {spreadConstraints: [{spreadBy: zone, minGroups: 3, maxGroups: 2}]}\n");
    assertThat(r.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.spreadConstraints[0].minGroups: must not exceed maxGroups (3 > 2)");
  }

  @Test
  void aClusterLimitBelowARegionMinimumIsAnError() {
    PolicyValidator.Report r =
        check(
            SELECTORS
                + "placement: {spreadConstraints: [{spreadBy: cluster, maxGroups: 1}, {spreadBy: region, minGroups: 2}]}\n");
    assertThat(r.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.spreadConstraints[0].maxGroups: at most 1 clusters cannot cover minGroups 2 of region");
  }

  @Test
  void divisionOrWeightsOnDuplicatedAreErrors() {
    PolicyValidator.Report r =
        check(
            SELECTORS
                + "placement: {replicaScheduling: {type: Duplicated, division: Weighted, weights: {dynamic: AvailableReplicas}}}\n");
    assertThat(r.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.replicaScheduling.division: applies only to type Divided",
            "spec.placement.replicaScheduling.weights: apply only to type Divided");
  }

  @Test
  void badWeightsAreErrorsAndAllZeroIsAWarning() {
    PolicyValidator.Report bad =
        check(
            SELECTORS
                + "placement: {replicaScheduling: {type: Divided, weights: {static: [{clusters: {}, weight: -1}, {clusters: {}}], dynamic: AvailableReplicas}}}\n");
    assertThat(bad.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.replicaScheduling.weights: static and dynamic may not both be set",
            "spec.placement.replicaScheduling.weights.static[0].weight: must be at least 0",
            "spec.placement.replicaScheduling.weights.static[1].weight: Required value");
    PolicyValidator.Report zero =
        check(
            SELECTORS
                + "placement: {replicaScheduling: {type: Divided, weights: {static: [{clusters: {}, weight: 0}]}}}\n");
    assertThat(zero.errors()).isEmpty();
    assertThat(zero.warnings())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.replicaScheduling.weights.static: every weight is 0: replicas are divided equally");
    PolicyValidator.Report aggregated =
        check(
            SELECTORS
                + "placement: {replicaScheduling: {type: Divided, division: Aggregated, weights: {dynamic: AvailableReplicas}}}\n");
    assertThat(aggregated.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.replicaScheduling.weights: apply only to division Weighted, not Aggregated");
  }

  @Test
  void anUnknownClusterNameIsAWarning() {
    PolicyValidator.Report r =
        check(
            SELECTORS
                + "placement: {clusterAffinity: {names: [eu-1, mars-1], exclude: [pluto]}}\n");
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.clusterAffinity.names[1]: no cluster named \"mars-1\" is known",
            "spec.placement.clusterAffinity.exclude[0]: no cluster named \"pluto\" is known");
  }

  @Test
  void unknownNamesAreWarnedWhereverAPolicyNamesClusters() {
    PolicyValidator.Report r =
        check(
            SELECTORS
                + """
                placement:
                  clusterAffinities: [{affinityName: first, names: [mars-1]}, {affinityName: second, names: [us-1]}]
                  replicaScheduling: {type: Divided, weights: {static: [{clusters: {names: [eu-1], exclude: [venus-1]}, weight: 1}]}}
                """);
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.clusterAffinities[0].names[0]: no cluster named \"mars-1\" is known",
            "spec.placement.replicaScheduling.weights.static[0].clusters.exclude[0]: no cluster named \"venus-1\" is known");
  }

  @Test
  void anOverridePolicyTargetingAnUnknownClusterIsAWarningNotAnError() {
    var policy =
        yaml(
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: OverridePolicy
            metadata: {name: web, namespace: shop}
            spec:
              resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
              overrideRules:
              - targetCluster: {names: [eu-1]}
                overriders: {replicas: 2}
              - targetCluster: {names: [mars-1, us-1], exclude: [us-1]}
                overriders: {replicas: 1}
              - overriders: {replicas: 3}
            """);
    PolicyValidator.Report known = PolicyValidator.validate(policy, Set.of("eu-1", "us-1"));
    PolicyValidator.Report unknownFleet = PolicyValidator.validate(policy, null);
    assertThat(known.errors()).isEmpty();
    assertThat(known.warnings())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.overrideRules[1].targetCluster.names[0]: no cluster named \"mars-1\" is known",
            "spec.overrideRules[1].targetCluster.exclude: \"us-1\" is both named and excluded: it is excluded");
    assertThat(unknownFleet.warnings())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.overrideRules[1].targetCluster.exclude: \"us-1\" is both named and excluded: it is excluded");
  }

  @Test
  void invalidSelectorsVersionsAndTolerationsAreErrorsWithTheirPath() {
    PolicyValidator.Report r =
        check(
            """
            resourceSelectors:
            - {apiVersion: apps/v1, kind: Deployment, labelSelector: {matchExpressions: [{key: app, operator: Near}]}}
            - {apiVersion: apps/v1, kind: Deployment, namespace: billing}
            - {kind: Deployment}
            placement:
              clusterAffinity: {kubernetesVersion: {min: "1.31", max: "1.29"}}
              clusterTolerations: [{key: a, operator: Exists, value: x}, {operator: Equal}]
            """);
    assertThat(r.errors())
        .extracting(FieldError::field)
        .containsExactly(
            "spec.resourceSelectors[0].labelSelector.matchExpressions[0].operator",
            "spec.resourceSelectors[1].namespace",
            "spec.resourceSelectors[2].apiVersion",
            "spec.placement.clusterAffinity.kubernetesVersion",
            "spec.placement.clusterTolerations[0].value",
            "spec.placement.clusterTolerations[1].operator");
    assertThat(r.errors().get(1).message())
        .contains("only selects templates of its own namespace \"shop\"");
  }

  @Test
  void orderedAffinitiesNeedUniqueNamesAndExcludeClusterAffinity() {
    PolicyValidator.Report r =
        check(
            SELECTORS
                + """
                placement:
                  clusterAffinity: {}
                  clusterAffinities: [{affinityName: a}, {affinityName: a}, {names: [eu-1]}]
                """);
    assertThat(r.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.placement.clusterAffinities: may not be set together with clusterAffinity",
            "spec.placement.clusterAffinities[1].affinityName: Duplicate value: \"a\"",
            "spec.placement.clusterAffinities[2].affinityName: Required value");
  }

  @Test
  void residencyPoliciesNeedSomewhereToAllowAndReadableSelectors() {
    PolicyValidator.Report r =
        PolicyValidator.validate(
            yaml(
                """
                apiVersion: policy.meridian.dev/v1alpha1
                kind: ResidencyPolicy
                metadata: {name: r}
                spec:
                  resourceSelector: {matchLabels: {"bad key!": x}}
                  allowedLocations: {countries: []}
                """),
            null);
    assertThat(r.errors())
        .extracting(FieldError::field)
        .containsExactly("spec.resourceSelector.matchLabels[bad key!]", "spec.allowedLocations");
  }

  @Test
  void aPolicyOfTheWrongShapeIsOneErrorNotACrash() {
    PolicyValidator.Report r = check("resourceSelectors: {apiVersion: 3}\npriority: high\n");
    assertThat(r.ok()).isFalse();
    assertThat(r.errors()).singleElement().extracting(FieldError::field).isEqualTo("spec");
  }

  @Test
  void failoverAndRolloutAreCheckedToo() {
    PolicyValidator.Report r =
        check(
            SELECTORS
                + """
                failover: {tolerationSeconds: 30, purgeMode: Immediately, gracePeriodSeconds: 600}
                rollout: {waves: [{clusterSelector: {matchLabels: {ring: canary}}}, {clusterSelector: {matchExpressions: [{key: ring, operator: In}]}}]}
                """);
    assertThat(r.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.rollout.waves[1].clusterSelector.matchExpressions[0].values: Required value");
    assertThat(r.warnings())
        .extracting(FieldError::toString)
        .containsExactly("spec.failover.gracePeriodSeconds: is only used with purgeMode Graceful");
  }

  @Test
  void purgeModesThatKeepACopyAreRefusedUntilTheyAreBuilt() {
    for (String mode : List.of("Graceful", "Never")) {
      PolicyValidator.Report r =
          check(SELECTORS + "failover: {tolerationSeconds: 30, purgeMode: " + mode + "}\n");
      assertThat(r.ok()).isFalse();
      assertThat(r.errors())
          .extracting(FieldError::toString)
          .singleElement()
          .asString()
          .startsWith("spec.failover.purgeMode: ")
          .contains("not supported yet: " + mode);
    }
  }

  @Test
  void negativeFailoverSecondsAreRefusedAndAGraceWithoutGracefulIsAWarning() {
    PolicyValidator.Report negative =
        check(SELECTORS + "failover: {tolerationSeconds: -1, gracePeriodSeconds: -5}\n");
    assertThat(negative.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.failover.tolerationSeconds: must be 0 or more (0 evicts an"
                + " unhealthy cluster at once), not -1",
            "spec.failover.gracePeriodSeconds: must be 0 or more, not -5");

    // purgeMode absent is Immediately: the grace period would wait for nothing
    PolicyValidator.Report inert = check(SELECTORS + "failover: {gracePeriodSeconds: 600}\n");
    assertThat(inert.ok()).isTrue();
    assertThat(inert.warnings())
        .extracting(FieldError::toString)
        .containsExactly("spec.failover.gracePeriodSeconds: is only used with purgeMode Graceful");
  }

  @Test
  void aFailbackOnADuplicatedPlacementIsRefused() {
    PolicyValidator.Report duplicated = check(SELECTORS + "failover: {failback: {mode: Manual}}\n");
    PolicyValidator.Report divided =
        check(
            SELECTORS
                + "placement: {replicaScheduling: {type: Divided}}\n"
                + "failover: {failback: {mode: Manual}}\n");
    assertThat(duplicated.ok()).isFalse();
    assertThat(duplicated.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.failover.failback: not supported yet with replicaScheduling type Duplicated (a"
                + " duplicated placement gives a recovered cluster its copy at once); it acts on"
                + " Divided placements");
    assertThat(divided.ok()).isTrue();
    assertThat(divided.warnings()).isEmpty();
  }
}
