package dev.meridian.scheduler;

import static dev.meridian.scheduler.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.Typed;
import dev.meridian.api.policy.PropagationPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyMatcherTest {
  private static final com.fasterxml.jackson.databind.node.ObjectNode WEB =
      yaml(
          "apiVersion: apps/v1\nkind: Deployment\n"
              + "metadata: {name: web, namespace: shop, labels: {app: web, tier: front}}\n");

  private static PropagationPolicy pp(
      String kind, String ns, String name, int priority, String selector) {
    return Typed.read(
        yaml(
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: %s
            metadata: {name: %s%s}
            spec:
              priority: %d
              resourceSelectors: [%s]
            """
                .formatted(kind, name, ns == null ? "" : ", namespace: " + ns, priority, selector)),
        PropagationPolicy.class);
  }

  private static final String BY_KIND = "{apiVersion: apps/v1, kind: Deployment}";
  private static final String BY_LABEL =
      "{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {app: web}}}";
  private static final String BY_NAME = "{apiVersion: apps/v1, kind: Deployment, name: web}";

  @Test
  void higherPriorityWins() {
    PropagationPolicy low = pp("PropagationPolicy", "shop", "a", 0, BY_NAME);
    PropagationPolicy high = pp("PropagationPolicy", "shop", "b", 5, BY_KIND);
    assertThat(PolicyMatcher.select(WEB, List.of(low, high))).contains(high);
  }

  @Test
  void atEqualPriorityTheMoreSpecificSelectorWins() {
    PropagationPolicy kind = pp("PropagationPolicy", "shop", "a-kind", 0, BY_KIND);
    PropagationPolicy label = pp("PropagationPolicy", "shop", "b-label", 0, BY_LABEL);
    PropagationPolicy name = pp("PropagationPolicy", "shop", "c-name", 0, BY_NAME);
    assertThat(PolicyMatcher.rank(WEB, List.of(kind, label, name)))
        .containsExactly(name, label, kind);
  }

  @Test
  void thenAPropagationPolicyBeatsAClusterPropagationPolicyThenTheSmallerName() {
    PropagationPolicy cpp = pp("ClusterPropagationPolicy", null, "a", 0, BY_NAME);
    PropagationPolicy ppB = pp("PropagationPolicy", "shop", "b", 0, BY_NAME);
    PropagationPolicy ppA = pp("PropagationPolicy", "shop", "a", 0, BY_NAME);
    assertThat(PolicyMatcher.rank(WEB, List.of(cpp, ppB, ppA))).containsExactly(ppA, ppB, cpp);
  }

  @Test
  void aPropagationPolicySelectsOnlyItsOwnNamespace() {
    PropagationPolicy other = pp("PropagationPolicy", "billing", "web", 0, BY_KIND);
    PropagationPolicy cpp = pp("ClusterPropagationPolicy", null, "all", 0, BY_KIND);
    assertThat(PolicyMatcher.selects(other, WEB)).isFalse();
    assertThat(PolicyMatcher.selects(cpp, WEB)).isTrue();
  }

  @Test
  void aClusterPropagationPolicySelectsClusterScopedTemplatesAndFiltersByNamespace() {
    var ns = yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
    PropagationPolicy cpp =
        pp("ClusterPropagationPolicy", null, "ns", 0, "{apiVersion: v1, kind: Namespace}");
    PropagationPolicy pp =
        pp("PropagationPolicy", "shop", "ns", 0, "{apiVersion: v1, kind: Namespace}");
    PropagationPolicy billingOnly =
        pp(
            "ClusterPropagationPolicy",
            null,
            "billing",
            0,
            "{apiVersion: apps/v1, kind: Deployment, namespace: billing}");
    assertThat(PolicyMatcher.selects(cpp, ns)).isTrue();
    assertThat(PolicyMatcher.selects(pp, ns)).isFalse();
    assertThat(PolicyMatcher.selects(billingOnly, WEB)).isFalse();
  }

  @Test
  void apiVersionKindNameAndLabelsMustMatch() {
    assertThat(
            PolicyMatcher.selects(
                pp(
                    "PropagationPolicy",
                    "shop",
                    "x",
                    0,
                    "{apiVersion: apps/v1beta1, kind: Deployment}"),
                WEB))
        .isFalse();
    assertThat(
            PolicyMatcher.selects(
                pp("PropagationPolicy", "shop", "x", 0, "{apiVersion: apps/v1, kind: StatefulSet}"),
                WEB))
        .isFalse();
    assertThat(
            PolicyMatcher.selects(
                pp(
                    "PropagationPolicy",
                    "shop",
                    "x",
                    0,
                    "{apiVersion: apps/v1, kind: Deployment, name: api}"),
                WEB))
        .isFalse();
    assertThat(
            PolicyMatcher.selects(
                pp(
                    "PropagationPolicy",
                    "shop",
                    "x",
                    0,
                    "{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}}"),
                WEB))
        .isFalse();
    // a name wins over a label selector that would not match
    assertThat(
            PolicyMatcher.specificity(
                pp(
                    "PropagationPolicy",
                    "shop",
                    "x",
                    0,
                    "{apiVersion: apps/v1, kind: Deployment, name: web, labelSelector: {matchLabels: {app: other}}}"),
                WEB))
        .contains(PolicyMatcher.Specificity.NAME);
  }

  @Test
  void anUnreadableSelectorOrADeletedPolicySelectsNothing() {
    PropagationPolicy broken =
        pp(
            "PropagationPolicy",
            "shop",
            "x",
            0,
            "{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchExpressions: [{key: app, operator: Near}]}}");
    assertThat(PolicyMatcher.selects(broken, WEB)).isFalse();
    PropagationPolicy deleting =
        Typed.read(
            yaml(
                """
                apiVersion: policy.meridian.dev/v1alpha1
                kind: PropagationPolicy
                metadata: {name: x, namespace: shop, deletionTimestamp: "2026-01-01T00:00:00Z"}
                spec: {resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]}
                """),
            PropagationPolicy.class);
    assertThat(PolicyMatcher.select(WEB, List.of(deleting))).isEmpty();
  }

  @Test
  void theReferenceNamesTheNamespaceOfAPropagationPolicyOnly() {
    assertThat(pp("PropagationPolicy", "shop", "web", 0, BY_KIND).reference())
        .isEqualTo("shop/web");
    assertThat(pp("ClusterPropagationPolicy", null, "all", 0, BY_KIND).reference())
        .isEqualTo("all");
  }
}
