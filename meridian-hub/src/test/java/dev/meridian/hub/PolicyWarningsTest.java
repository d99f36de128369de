package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy that is accepted but doubtful (it names a cluster the fleet does not have) is written,
 * and the writer is told with a {@code Warning: 299 - "..."} header, as kube-apiserver does.
 */
class PolicyWarningsTest {
  static final String PP =
      "/apis/policy.meridian.dev/v1alpha1/namespaces/default/propagationpolicies";
  static final String OP = "/apis/policy.meridian.dev/v1alpha1/namespaces/default/overridepolicies";
  static final String UNKNOWN_MARS =
      "299 - \"spec.placement.clusterAffinity.names[1]: no cluster named \\\"mars-1\\\" is known\"";

  @TempDir Path dir;
  Hub hub;
  TestClient client;

  @BeforeEach
  void start() {
    hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false));
    client = TestClient.of(hub);
    assertThat(client.post(HubApiTest.CLUSTERS, HubApiTest.cluster("eu-1", "DE")).code())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  static String policy(String name, String names) {
    return """
        {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"PropagationPolicy","metadata":{"name":"%s"},
         "spec":{"resourceSelectors":[{"apiVersion":"apps/v1","kind":"Deployment"}],
          "placement":{"clusterAffinity":{"names":%s}}}}"""
        .formatted(name, names);
  }

  @Test
  void createWarnsOfAClusterTheFleetDoesNotHave() {
    // When
    var known = client.post(PP, policy("known", "[\"eu-1\"]"));
    var unknown = client.post(PP, policy("unknown", "[\"eu-1\",\"mars-1\"]"));
    var dryRun = client.post(PP + "?dryRun=All", policy("dry", "[\"eu-1\",\"mars-1\"]"));
    // Then
    assertThat(known.code()).as(known.body()).isEqualTo(201);
    assertThat(known.warnings()).isEmpty();
    assertThat(unknown.code()).as(unknown.body()).isEqualTo(201);
    assertThat(unknown.warnings()).containsExactly(UNKNOWN_MARS);
    assertThat(client.get(PP + "/unknown").code()).isEqualTo(200);
    assertThat(dryRun.code()).isEqualTo(201);
    assertThat(dryRun.warnings()).containsExactly(UNKNOWN_MARS);
  }

  @Test
  void patchesAndUpdatesWarnUntilTheClusterJoins() {
    // Given
    assertThat(client.post(PP, policy("web", "[\"eu-1\"]")).code()).isEqualTo(201);
    // When
    var merge =
        client.patch(
            PP + "/web",
            "{\"spec\":{\"placement\":{\"clusterAffinity\":{\"names\":[\"eu-1\",\"mars-1\"]}}}}",
            "application/merge-patch+json");
    var json =
        client.patch(
            PP + "/web",
            "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"team\":\"shop\"}}]",
            "application/json-patch+json");
    var put = client.put(PP + "/web", client.get(PP + "/web").body());
    client.post(HubApiTest.CLUSTERS, HubApiTest.cluster("mars-1", "US"));
    var afterJoin =
        client.patch(
            PP + "/web",
            "{\"metadata\":{\"labels\":{\"team\":\"web\"}}}",
            "application/merge-patch+json");
    // Then
    assertThat(merge.code()).as(merge.body()).isEqualTo(200);
    assertThat(merge.warnings()).containsExactly(UNKNOWN_MARS);
    assertThat(json.code()).as(json.body()).isEqualTo(200);
    assertThat(json.warnings()).containsExactly(UNKNOWN_MARS);
    assertThat(put.code()).as(put.body()).isEqualTo(200);
    assertThat(put.warnings()).containsExactly(UNKNOWN_MARS);
    assertThat(afterJoin.code()).as(afterJoin.body()).isEqualTo(200);
    assertThat(afterJoin.warnings()).isEmpty();
  }

  @Test
  void errorsStillRejectAndOverridePoliciesAndOtherKindsAreCoveredToo() {
    // When
    var invalid =
        client.post(
            PP,
            """
            {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"PropagationPolicy","metadata":{"name":"bad"},
             "spec":{"resourceSelectors":[{"apiVersion":"apps/v1","kind":"Deployment"}],
              "placement":{"clusterAffinity":{"names":["mars-1"]},
               "spreadConstraints":[{"spreadBy":"region","minGroups":3,"maxGroups":2}]}}}""");
    var override =
        client.post(
            OP,
            """
            {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"OverridePolicy","metadata":{"name":"o"},
             "spec":{"resourceSelectors":[{"apiVersion":"apps/v1","kind":"Deployment"}],
              "overrideRules":[{"targetCluster":{"names":["pluto"]},"overriders":{"replicas":1}}]}}""");
    var configMap =
        client.post(
            "/api/v1/namespaces/default/configmaps",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");
    // Then
    assertThat(invalid.code()).as(invalid.body()).isEqualTo(422);
    assertThat(invalid.warnings()).isEmpty();
    assertThat(override.code()).as(override.body()).isEqualTo(201);
    assertThat(override.warnings())
        .containsExactly(
            "299 - \"spec.overrideRules[0].targetCluster.names[0]: no cluster named \\\"pluto\\\" is known\"");
    assertThat(configMap.code()).isEqualTo(201);
    assertThat(configMap.warnings()).isEmpty();
  }
}
