package dev.meridian.controllers.propagation.render;

import static dev.meridian.controllers.propagation.render.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusAggregationTest {
  static final Instant NOW = Instant.parse("2026-01-05T10:15:00Z");

  final ObjectNode template = Fixtures.deployment();

  /** The web Deployment as a member reports it, with that member's share of replicas. */
  static ObjectNode live(int desired, int updated, int ready, int available) {
    return yaml(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, generation: 1}
        spec: {replicas: %d}
        status: {observedGeneration: 1, replicas: %d, updatedReplicas: %d, readyReplicas: %d, availableReplicas: %d}
        """
            .formatted(desired, Math.max(desired, updated), updated, ready, available));
  }

  @Test
  void sumsReplicaCountsSoTheHubShowsFleetWideNumbers() {
    // Given
    Map<String, ObjectNode> live =
        Map.of("us-east-1", live(2, 2, 2, 2), "eu-west-1", live(4, 4, 4, 4));
    // When
    ObjectNode status = StatusAggregation.aggregate(template, live, Map.of(), NOW);
    // Then
    assertThat(status.path("replicas").asInt()).isEqualTo(6);
    assertThat(status.path("readyReplicas").asInt()).isEqualTo(6);
    assertThat(status.path("availableReplicas").asInt()).isEqualTo(6);
    assertThat(status.path("updatedReplicas").asInt()).isEqualTo(6);
    assertThat(status.path("clusters").toString())
        .isEqualTo(
            "[{\"name\":\"eu-west-1\",\"health\":\"Healthy\",\"ready\":4,\"desired\":4,\"message\":\"4/4 ready\"},"
                + "{\"name\":\"us-east-1\",\"health\":\"Healthy\",\"ready\":2,\"desired\":2,\"message\":\"2/2 ready\"}]");
    JsonNode healthy = status.at("/conditions/0");
    assertThat(healthy.path("type").asText()).isEqualTo("Healthy");
    assertThat(healthy.path("status").asText()).isEqualTo("True");
    assertThat(healthy.path("reason").asText()).isEqualTo("AllHealthy");
    assertThat(healthy.path("message").asText()).isEqualTo("2 of 2 clusters healthy");
    assertThat(healthy.path("lastTransitionTime").asText()).isEqualTo("2026-01-05T10:15:00Z");
  }

  @Test
  void aClusterThatCannotBeReadIsUnknownWithItsErrorAndLeftOutOfTheSums() {
    // Given
    Map<String, ObjectNode> live = Map.of("eu-west-1", live(3, 1, 2, 2));
    Map<String, String> errors = Map.of("ap-south-1", "dial tcp 10.0.3.7:6443: i/o timeout");
    // When
    ObjectNode status = StatusAggregation.aggregate(template, live, errors, NOW);
    // Then
    assertThat(status.path("readyReplicas").asInt()).isEqualTo(2);
    assertThat(status.at("/clusters/0").toString())
        .isEqualTo(
            "{\"name\":\"ap-south-1\",\"health\":\"Unknown\",\"message\":\"dial tcp 10.0.3.7:6443: i/o timeout\"}");
    assertThat(status.at("/clusters/1/health").asText()).isEqualTo("Progressing");
    JsonNode healthy = status.at("/conditions/0");
    assertThat(healthy.path("status").asText()).isEqualTo("False");
    assertThat(healthy.path("reason").asText()).isEqualTo("Unknown");
    assertThat(healthy.path("message").asText())
        .isEqualTo("0 of 2 clusters healthy; unknown: ap-south-1; progressing: eu-west-1");
  }

  @Test
  void theConditionsReasonNamesTheWorstStateAndAnObjectMissingOnAClusterIsUnknown() {
    // Given
    ObjectNode crashing = live(3, 3, 1, 1);
    ((ObjectNode) crashing.get("status"))
        .set(
            "conditions",
            yaml("""
                    c:
                    - {type: Available, status: "False", reason: MinimumReplicasUnavailable}
                    - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
                    """)
                .get("c"));
    Map<String, ObjectNode> live = new HashMap<>();
    live.put("eu-west-1", live(3, 3, 3, 3));
    live.put("us-east-1", crashing);
    live.put("eu-central-1", null);
    // When
    ObjectNode status = StatusAggregation.aggregate(template, live, Map.of(), NOW);
    // Then
    assertThat(status.at("/conditions/0/reason").asText()).isEqualTo("Degraded");
    assertThat(status.at("/conditions/0/message").asText())
        .isEqualTo("1 of 3 clusters healthy; degraded: us-east-1; unknown: eu-central-1");
    assertThat(status.at("/clusters/0/message").asText()).isEqualTo("not found");
  }

  @Test
  void keepsTheTransitionTimeWhileTheConditionHoldsAndSetsItWhenItChanges() {
    // Given
    ObjectNode previously = template.deepCopy();
    previously.set(
        "status",
        yaml(
            """
            conditions:
            - {type: Healthy, status: "True", reason: AllHealthy, lastTransitionTime: "2026-01-01T00:00:00Z"}
            """));
    Map<String, ObjectNode> healthy = Map.of("eu-west-1", live(3, 3, 3, 3));
    Map<String, ObjectNode> rolling = Map.of("eu-west-1", live(3, 1, 3, 3));
    // When
    ObjectNode still = StatusAggregation.aggregate(previously, healthy, Map.of(), NOW);
    ObjectNode changed = StatusAggregation.aggregate(previously, rolling, Map.of(), NOW);
    ObjectNode changedWithoutClock = StatusAggregation.aggregate(previously, rolling, Map.of());
    // Then
    assertThat(still.at("/conditions/0/lastTransitionTime").asText())
        .isEqualTo("2026-01-01T00:00:00Z");
    assertThat(changed.at("/conditions/0/lastTransitionTime").asText())
        .isEqualTo("2026-01-05T10:15:00Z");
    assertThat(changedWithoutClock.at("/conditions/0").has("lastTransitionTime")).isFalse();
  }

  @Test
  void aTemplateOnNoClusterIsNotHealthy() {
    // When
    ObjectNode status = StatusAggregation.aggregate(template, Map.of(), Map.of(), NOW);
    // Then
    assertThat(status.path("replicas").asInt()).isZero();
    assertThat(status.path("clusters").isEmpty()).isTrue();
    assertThat(status.at("/conditions/0/status").asText()).isEqualTo("False");
    assertThat(status.at("/conditions/0/reason").asText()).isEqualTo("NotPlaced");
  }

  @Test
  void sumsADaemonSetsOwnCountersAndNoneForAConfigMap() {
    // Given
    ObjectNode daemonSet =
        yaml("{apiVersion: apps/v1, kind: DaemonSet, metadata: {name: ne, namespace: monitoring}}");
    ObjectNode liveDaemonSet =
        yaml(
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: ne, namespace: monitoring}
            status: {desiredNumberScheduled: 5, currentNumberScheduled: 5, numberReady: 5, numberAvailable: 5, updatedNumberScheduled: 5}
            """);
    ObjectNode configMap =
        yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: web-config, namespace: shop}}");
    // When
    ObjectNode ds =
        StatusAggregation.aggregate(
            daemonSet, Map.of("a", liveDaemonSet, "b", liveDaemonSet), Map.of(), NOW);
    ObjectNode cm = StatusAggregation.aggregate(configMap, Map.of("a", configMap), Map.of(), NOW);
    // Then
    assertThat(ds.path("desiredNumberScheduled").asInt()).isEqualTo(10);
    assertThat(ds.path("numberReady").asInt()).isEqualTo(10);
    assertThat(cm.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("clusters", "conditions");
    assertThat(cm.at("/clusters/0").toString())
        .isEqualTo("{\"name\":\"a\",\"health\":\"Healthy\",\"message\":\"exists\"}");
  }

  @Test
  void writesTheObservedGenerationItIsGivenAndCarriesOverATimedOutRollout() {
    // Given: eu-west-1's rollout ran out of its progress deadline
    ObjectNode stuck = live(3, 1, 2, 2);
    ((ObjectNode) stuck.path("status"))
        .putArray("conditions")
        .addObject()
        .put("type", "Progressing")
        .put("status", "False")
        .put("reason", "ProgressDeadlineExceeded");
    Map<String, ObjectNode> live = Map.of("eu-west-1", stuck, "us-east-1", live(3, 3, 3, 3));
    // When
    ObjectNode status = StatusAggregation.aggregate(template, live, Map.of(), NOW, 4);
    ObjectNode none = StatusAggregation.aggregate(template, live, Map.of(), NOW);
    // Then
    assertThat(status.path("observedGeneration").asLong()).isEqualTo(4);
    assertThat(none.has("observedGeneration")).isFalse();
    JsonNode progressing = status.at("/conditions/1");
    assertThat(progressing.path("type").asText()).isEqualTo("Progressing");
    assertThat(progressing.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(progressing.path("message").asText()).endsWith("in eu-west-1");
    ObjectNode settled =
        StatusAggregation.aggregate(template, Map.of("a", live(3, 3, 3, 3)), Map.of(), NOW, 4);
    assertThat(settled.path("conditions").size()).isEqualTo(1);
  }

  @Test
  void aMemberHasSeenItsCopyWhenItsObservedGenerationIsNotBehindItsOwnGeneration() {
    ObjectNode seen = live(2, 2, 2, 2);
    ObjectNode behind = live(2, 2, 2, 2);
    ((ObjectNode) behind.path("metadata")).put("generation", 2);
    ObjectNode noStatus = Fixtures.deployment();
    assertThat(StatusAggregation.seenByMember(seen)).isTrue();
    assertThat(StatusAggregation.seenByMember(behind)).isFalse();
    assertThat(StatusAggregation.seenByMember(noStatus)).isTrue();
  }

  @Test
  void aClusterWhoseCopyIsBeingChangedCountsWithItsLastReport() {
    // Given: eu-west-1's Work changed and its new status is not in yet
    Map<String, ObjectNode> live =
        Map.of("eu-west-1", live(4, 4, 4, 4), "us-east-1", live(2, 2, 2, 2));
    Map<String, String> errors = Map.of("eu-west-1", "applying the latest change");
    // When
    ObjectNode status = StatusAggregation.aggregate(template, live, errors, NOW, -1);
    // Then: the READY count does not dip while a change is on its way, and the cluster says why
    assertThat(status.path("readyReplicas").asInt()).isEqualTo(6);
    assertThat(status.at("/clusters/0/health").asText()).isEqualTo("Unknown");
    assertThat(status.at("/clusters/0/message").asText()).isEqualTo("applying the latest change");
  }
}
