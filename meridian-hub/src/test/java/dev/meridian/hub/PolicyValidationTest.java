package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies are checked beyond their schema when they are written, with field paths. */
class PolicyValidationTest {
  @TempDir Path dir;

  static final String PP =
      "/apis/policy.meridian.dev/v1alpha1/namespaces/default/propagationpolicies";

  @Test
  void rejectsContradictoryPlacementAndAcceptsPoliciesThatSelectNothing() {
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0))) {
      TestClient client = TestClient.of(hub);
      // When
      var contradictory =
          client.post(
              PP,
              """
              {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"PropagationPolicy","metadata":{"name":"bad"},
               "spec":{"resourceSelectors":[{"apiVersion":"apps/v1","kind":"Deployment"}],
                "placement":{"spreadConstraints":[{"spreadBy":"region","minGroups":3,"maxGroups":2}]}}}""");
      var badWeight =
          client.post(
              PP,
              """
              {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"PropagationPolicy","metadata":{"name":"bad2"},
               "spec":{"resourceSelectors":[{"apiVersion":"apps/v1","kind":"Deployment"}],
                "placement":{"replicaScheduling":{"type":"Divided","weights":{"static":[{"clusters":{"names":["a"]},"weight":-1}]}}}}}""");
      var selectsNothing =
          client.post(
              PP,
              """
              {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"PropagationPolicy","metadata":{"name":"quiet"},
               "spec":{"resourceSelectors":[{"apiVersion":"apps/v1","kind":"Deployment","name":"does-not-exist"}],"deletePolicy":"Orphan"}}""");
      // Then
      assertThat(contradictory.code()).as(contradictory.body()).isEqualTo(422);
      assertThat(contradictory.json().path("details").path("causes").toString())
          .contains("spec.placement.spreadConstraints[0]");
      assertThat(badWeight.code()).isEqualTo(422);
      assertThat(badWeight.message()).contains("weight");
      assertThat(selectsNothing.code()).as(selectsNothing.body()).isEqualTo(201);
    }
  }
}
