package dev.meridian.controllers.propagation.render;

import static dev.meridian.controllers.propagation.render.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which templates a policy selects and which clusters a rule targets. */
class OverrideSelectionTest {
  final ObjectNode web = Fixtures.deployment();

  static ObjectNode policy(String namespace, String selectors) {
    return yaml(
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: OverridePolicy
        metadata: {name: p, namespace: %s}
        spec:
          resourceSelectors: %s
          overrideRules: [{overriders: {replicas: 1}}]
        """
            .formatted(namespace, selectors));
  }

  static final ClusterFacts EU_WEST_1 =
      new ClusterFacts(
          "eu-west-1",
          Map.of("ring", "prod", "tier", "gold"),
          "eu-west",
          "eu-west-1a",
          "DE",
          "aws",
          "v1.37.2");

  @Test
  void selectsByKindAloneByNameOrByLabels() {
    // Given
    ObjectNode byKind = policy("shop", "[{apiVersion: apps/v1, kind: Deployment}]");
    ObjectNode byName = policy("shop", "[{apiVersion: apps/v1, kind: Deployment, name: web}]");
    ObjectNode byLabels =
        policy(
            "shop",
            "[{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {tier: frontend}}}]");
    // When / Then
    assertThat(Overrides.selects(byKind, web)).isTrue();
    assertThat(Overrides.selects(byName, web)).isTrue();
    assertThat(Overrides.selects(byLabels, web)).isTrue();
  }

  @Test
  void doesNotSelectAnotherKindVersionNameLabelOrNamespace() {
    // Given
    ObjectNode otherKind = policy("shop", "[{apiVersion: apps/v1, kind: StatefulSet}]");
    ObjectNode otherVersion = policy("shop", "[{apiVersion: apps/v1beta2, kind: Deployment}]");
    ObjectNode otherName = policy("shop", "[{apiVersion: apps/v1, kind: Deployment, name: api}]");
    ObjectNode otherLabels =
        policy(
            "shop",
            "[{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {tier: backend}}}]");
    ObjectNode otherNamespace = policy("billing", "[{apiVersion: apps/v1, kind: Deployment}]");
    ObjectNode selectorForOtherNamespace =
        policy("shop", "[{apiVersion: apps/v1, kind: Deployment, namespace: billing}]");
    // When / Then
    assertThat(Overrides.selects(otherKind, web)).isFalse();
    assertThat(Overrides.selects(otherVersion, web)).isFalse();
    assertThat(Overrides.selects(otherName, web)).isFalse();
    assertThat(Overrides.selects(otherLabels, web)).isFalse();
    assertThat(Overrides.selects(otherNamespace, web)).isFalse();
    assertThat(Overrides.selects(selectorForOtherNamespace, web)).isFalse();
  }

  @Test
  void aNameTakesPrecedenceOverALabelSelectorAsForPropagationPolicies() {
    // Given
    ObjectNode policy =
        policy(
            "shop",
            "[{apiVersion: apps/v1, kind: Deployment, name: web, labelSelector: {matchLabels: {tier: backend}}}]");
    // When / Then
    assertThat(Overrides.selects(policy, web)).isTrue();
  }

  @Test
  void anyOfSeveralSelectorsSuffices() {
    // Given
    ObjectNode policy =
        policy(
            "shop",
            "[{apiVersion: v1, kind: Service, name: web}, {apiVersion: apps/v1, kind: Deployment, name: web}]");
    // When / Then
    assertThat(Overrides.selects(policy, web)).isTrue();
  }

  @Test
  void anUnreadableLabelSelectorOrAPolicyBeingDeletedSelectsNothing() {
    // Given
    ObjectNode broken =
        policy(
            "shop",
            "[{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchExpressions: [{key: tier, operator: Near}]}}]");
    ObjectNode deleting = policy("shop", "[{apiVersion: apps/v1, kind: Deployment}]");
    ((ObjectNode) deleting.get("metadata")).put("deletionTimestamp", "2026-01-05T10:00:00Z");
    // When / Then
    assertThat(Overrides.selects(broken, web)).isFalse();
    assertThat(Overrides.selects(deleting, web)).isFalse();
  }

  @Test
  void anEmptyOrAbsentTargetCoversEveryCluster() {
    // Given
    JsonNode empty = yaml("{}");
    // When / Then
    assertThat(Overrides.targets(empty, EU_WEST_1)).isTrue();
    assertThat(Overrides.targets(null, EU_WEST_1)).isTrue();
    assertThat(Overrides.targets(web.path("absent"), EU_WEST_1)).isTrue();
  }

  @Test
  void targetsByNamesAndExcludeWins() {
    // Given
    JsonNode named = yaml("names: [eu-west-1, eu-central-1]");
    JsonNode others = yaml("names: [us-east-1]");
    JsonNode namedButExcluded = yaml("{names: [eu-west-1], exclude: [eu-west-1]}");
    // When / Then
    assertThat(Overrides.targets(named, EU_WEST_1)).isTrue();
    assertThat(Overrides.targets(others, EU_WEST_1)).isFalse();
    assertThat(Overrides.targets(namedButExcluded, EU_WEST_1)).isFalse();
  }

  @Test
  void targetsByLabelsAndLocation() {
    // Given
    JsonNode prodInEurope =
        yaml(
            """
            labelSelector: {matchLabels: {ring: prod}}
            locations: {regions: [eu-west, eu-central], countries: [DE, FR], providers: [aws]}
            """);
    JsonNode canary = yaml("labelSelector: {matchLabels: {ring: canary}}");
    JsonNode inFrance = yaml("locations: {countries: [FR]}");
    JsonNode inZoneB = yaml("locations: {zones: [eu-west-1b]}");
    // When / Then
    assertThat(Overrides.targets(prodInEurope, EU_WEST_1)).isTrue();
    assertThat(Overrides.targets(canary, EU_WEST_1)).isFalse();
    assertThat(Overrides.targets(inFrance, EU_WEST_1)).isFalse();
    assertThat(Overrides.targets(inZoneB, EU_WEST_1)).isFalse();
  }

  @Test
  void aLocationListDoesNotMatchAClusterOfUnknownLocation() {
    // Given
    ClusterFacts unplaced = new ClusterFacts("lab", Map.of(), "", "", "", "");
    // When / Then
    assertThat(Overrides.targets(yaml("locations: {regions: [eu-west]}"), unplaced)).isFalse();
    assertThat(Overrides.targets(yaml("locations: {regions: []}"), unplaced)).isTrue();
  }

  @Test
  void targetsByInclusiveKubernetesVersionBoundsComparedOnTheGivenParts() {
    // Given: the cluster runs v1.37.2
    JsonNode atLeast137 = yaml("kubernetesVersion: {min: '1.37'}");
    JsonNode atMost137 = yaml("kubernetesVersion: {max: v1.37}");
    JsonNode atMost1371 = yaml("kubernetesVersion: {max: 1.37.1}");
    JsonNode from138 = yaml("kubernetesVersion: {min: '1.38'}");
    // When / Then
    assertThat(Overrides.targets(atLeast137, EU_WEST_1)).isTrue();
    assertThat(Overrides.targets(atMost137, EU_WEST_1)).isTrue();
    assertThat(Overrides.targets(atMost1371, EU_WEST_1)).isFalse();
    assertThat(Overrides.targets(from138, EU_WEST_1)).isFalse();
  }

  @Test
  void aVersionBoundDoesNotMatchAClusterOfUnknownVersion() {
    // Given
    ClusterFacts unprobed = new ClusterFacts("new", Map.of(), "eu-west", "", "DE", "aws");
    // When / Then
    assertThat(Overrides.targets(yaml("kubernetesVersion: {min: '1.20'}"), unprobed)).isFalse();
  }

  @Test
  void anUnreadableClusterSelectorTargetsNothing() {
    // Given
    JsonNode broken = yaml("labelSelector: {matchExpressions: [{key: ring, operator: Near}]}");
    JsonNode namesNotAList = yaml("names: eu-west-1");
    // When / Then
    assertThat(Overrides.targets(broken, EU_WEST_1)).isFalse();
    assertThat(Overrides.targets(namesNotAList, EU_WEST_1)).isFalse();
  }

  @Test
  void clusterFactsAreReadFromAClusterObject() {
    // Given
    ObjectNode cluster =
        yaml(
            """
            apiVersion: fleet.meridian.dev/v1alpha1
            kind: Cluster
            metadata: {name: eu-west-1, labels: {ring: prod, tier: gold}}
            spec:
              connection: {simulated: {capacity: {cpu: "64"}}}
              location: {region: eu-west, zone: eu-west-1a, country: DE, provider: aws}
            status: {kubernetesVersion: v1.37.2}
            """);
    // When
    ClusterFacts facts = ClusterFacts.of(cluster);
    // Then
    assertThat(facts).isEqualTo(EU_WEST_1);
  }
}
