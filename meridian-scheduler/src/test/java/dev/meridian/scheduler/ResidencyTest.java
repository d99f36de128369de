package dev.meridian.scheduler;

import static dev.meridian.scheduler.Fixtures.cluster;
import static dev.meridian.scheduler.Fixtures.deployment;
import static dev.meridian.scheduler.Fixtures.policy;
import static dev.meridian.scheduler.Fixtures.residency;
import static dev.meridian.scheduler.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.Typed;
import dev.meridian.api.policy.PropagationPolicy;
import dev.meridian.api.policy.ResidencyPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ResidencyPolicy guardrails: no placement outside the allowed locations, ever. */
class ResidencyTest {
  private static final ResidencyPolicy GDPR =
      residency("gdpr-eu-personal-data", "{countries: [DE, FR]}", "Deny");

  private final ClusterView de = cluster("de-1").in("DE", "eu-central", "eu-central-1a").build();
  private final ClusterView fr = cluster("fr-1").in("FR", "eu-west", "eu-west-3a").build();
  private final ClusterView us = cluster("us-1").in("US", "us-east", "us-east-1a").build();
  private final ClusterView nowhere = cluster("nowhere").in(null, null, null).build();

  private Decision schedule(PropagationPolicy p, ResidencyPolicy... guardrails) {
    var template = deployment(4);
    ResidencyGuardrail g = ResidencyGuardrail.forTemplate(template, Map.of(), List.of(guardrails));
    return Scheduler.schedule(
        SchedulingInput.of(template, p, List.of(de, fr, us, nowhere)).withGuardrail(g));
  }

  @Test
  void aDenyGuardrailExcludesClustersOutsideItsCountries() {
    // When a duplicated template selected by the guardrail is scheduled
    Decision d = schedule(policy(""), GDPR);

    // Then it runs only in DE and FR, and the others say why
    assertThat(d.placement()).containsOnlyKeys("de-1", "fr-1");
    assertThat(d.exclusions())
        .containsEntry(
            "us-1",
            List.of(
                "residency: ResidencyPolicy gdpr-eu-personal-data allows countries [DE, FR],"
                    + " cluster is in US"))
        .containsEntry(
            "nowhere",
            List.of(
                "residency: ResidencyPolicy gdpr-eu-personal-data allows countries [DE, FR],"
                    + " cluster's country is unknown"));
  }

  @Test
  void noPolicyFieldCanOverrideTheGuardrail() {
    // Given a policy naming the US cluster explicitly and tolerating everything
    PropagationPolicy p =
        policy(
            """
            clusterAffinity: {names: [us-1]}
            clusterTolerations: [{operator: Exists}]
            """);

    // When scheduled
    Decision d = schedule(p, GDPR);

    // Then nothing is placed, and the reason says the guardrail kept it in
    assertThat(d.targets()).isEmpty();
    assertThat(d.unschedulable())
        .isEqualTo(
            "no cluster fits: of 4 clusters, excluded by affinity 3, residency 2;"
                + " nothing is placed outside the locations ResidencyPolicy gdpr-eu-personal-data"
                + " allows");
    assertThat(d.exclusions().get("us-1"))
        .containsExactly(
            "residency: ResidencyPolicy gdpr-eu-personal-data allows countries [DE, FR],"
                + " cluster is in US");
  }

  @Test
  void aFullAllowedClusterDoesNotSpillOverToClustersWithRoomOutside() {
    // Given the only allowed cluster has room for one one-cpu replica, the US one for sixteen
    ClusterView full = cluster("de-1").in("DE", "eu-central", "eu-central-1a").cpus(1).build();
    var template = deployment(2);
    ResidencyGuardrail g = ResidencyGuardrail.forTemplate(template, Map.of(), List.of(GDPR));

    for (String rs :
        List.of(
            "{type: Divided, division: Aggregated}",
            "{type: Divided, weights: {dynamic: AvailableReplicas}}")) {
      // When two replicas are scheduled where capacity counts
      Decision d =
          Scheduler.schedule(
              SchedulingInput.of(
                      template, policy("replicaScheduling: " + rs + "\n"), List.of(full, us))
                  .withGuardrail(g));

      // Then nothing is placed, and the reason says the guardrail kept it in
      assertThat(d.targets()).as(rs).isEmpty();
      assertThat(d.unschedulable())
          .as(rs)
          .isEqualTo(
              "capacity: the selected clusters can hold 1 replica in all, 2 wanted;"
                  + " nothing is placed outside the locations ResidencyPolicy gdpr-eu-personal-data"
                  + " allows");
      assertThat(d.exclusions().get("us-1"))
          .as(rs)
          .containsExactly(
              "residency: ResidencyPolicy gdpr-eu-personal-data allows countries [DE, FR],"
                  + " cluster is in US");
      assertThat(d.exclusions().get("de-1")).as(rs).hasSize(1);
      assertThat(d.exclusions().get("de-1").get(0)).as(rs).startsWith("capacity: ");
    }
  }

  @Test
  void severalGuardrailsIntersect() {
    // Given a second guardrail allowing only the eu-central region
    ResidencyPolicy central = residency("central-only", "{regions: [eu-central]}", "Deny");

    // When scheduled under both
    Decision d = schedule(policy(""), GDPR, central);

    // Then only what both allow remains
    assertThat(d.placement()).containsOnlyKeys("de-1");
    assertThat(d.exclusions().get("fr-1"))
        .containsExactly(
            "residency: ResidencyPolicy central-only allows regions [eu-central],"
                + " cluster is in region eu-west");
    ResidencyGuardrail g =
        ResidencyGuardrail.forTemplate(deployment(1), null, List.of(GDPR, central));
    assertThat(g.allowedCountries()).contains(Set.of("DE", "FR"));
    assertThat(g.allowedRegions()).contains(Set.of("eu-central"));
  }

  @Test
  void anAuditGuardrailPlacesButWarns() {
    // Given an Audit guardrail
    ResidencyPolicy audit = residency("eu-audit", "{countries: [DE, FR]}", "Audit");

    // When scheduled
    Decision d = schedule(policy(""), audit);

    // Then the US cluster gets the template, with a warning naming it
    assertThat(d.placement()).containsKeys("us-1");
    assertThat(d.warnings())
        .contains(
            "residency (audit): us-1: ResidencyPolicy eu-audit allows countries [DE, FR],"
                + " cluster is in US");
  }

  @Test
  void aGuardrailSelectsByTemplateLabelsAndNamespaceLabels() {
    // Given a guardrail restricted to namespaces labelled tier=regulated
    ResidencyPolicy p =
        Typed.read(
            yaml(
                """
                apiVersion: policy.meridian.dev/v1alpha1
                kind: ResidencyPolicy
                metadata: {name: regulated}
                spec:
                  resourceSelector: {}
                  namespaceSelector: {matchLabels: {tier: regulated}}
                  allowedLocations: {countries: [DE]}
                """),
            ResidencyPolicy.class);
    var template = deployment(1);
    var other =
        yaml(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: shop, labels: {app: api}}\n");

    // Then it selects by namespace labels, fails closed when they are unknown, and a
    // label selector on the template filters as well
    assertThat(ResidencyGuardrail.selects(p, template, Map.of("tier", "regulated"))).isTrue();
    assertThat(ResidencyGuardrail.selects(p, template, Map.of("tier", "public"))).isFalse();
    assertThat(ResidencyGuardrail.selects(p, template, null)).isTrue();
    assertThat(ResidencyGuardrail.selects(GDPR, template, Map.of())).isTrue();
    assertThat(ResidencyGuardrail.selects(GDPR, other, Map.of())).isFalse();
  }

  @Test
  void aGuardrailWithAnUnreadableSelectorSelectsEverything() {
    ResidencyPolicy broken =
        Typed.read(
            yaml(
                """
                apiVersion: policy.meridian.dev/v1alpha1
                kind: ResidencyPolicy
                metadata: {name: broken}
                spec:
                  resourceSelector: {matchExpressions: [{key: app, operator: Near}]}
                  allowedLocations: {countries: [DE]}
                """),
            ResidencyPolicy.class);
    assertThat(ResidencyGuardrail.selects(broken, Fixtures.configMap(), Map.of())).isTrue();
  }

  @Test
  void divisionNeverSpillsOutsideTheGuardrail() {
    // Given a divided policy with a static weight on the US cluster
    PropagationPolicy p =
        policy(
            """
            replicaScheduling:
              type: Divided
              weights: {static: [{clusters: {names: [us-1]}, weight: 10}, {clusters: {}, weight: 1}]}
            """);

    // When scheduled under the guardrail
    Decision d = schedule(p, GDPR);

    // Then the replicas stay in DE and FR
    assertThat(d.placement()).isEqualTo(Map.of("de-1", 2, "fr-1", 2));
  }
}
