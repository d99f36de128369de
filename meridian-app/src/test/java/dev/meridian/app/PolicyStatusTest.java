package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A policy's status follows the fleet: a cluster it names that leaves, a guardrail left with no
 * allowed cluster, are reported on the policy (and as events), not only once as warnings when the
 * policy was written.
 */
class PolicyStatusTest extends SampleFleetTest {
  /** The PropagationPolicy shop/api once {@code ok}. */
  JsonNode awaitPolicy(String what, Predicate<JsonNode> ok) throws Exception {
    return fleet.await(what, ok, "pp", "api", "-n", "shop");
  }

  /** The GDPR guardrail once {@code ok}. */
  JsonNode awaitGuardrail(String what, Predicate<JsonNode> ok) throws Exception {
    return fleet.await(what, ok, "residencypolicy", "gdpr-eu-personal-data");
  }

  static JsonNode condition(JsonNode obj, String type) {
    for (JsonNode c : obj.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return ResourceCodec.newObject();
  }

  static final String PP =
      """
      apiVersion: policy.meridian.dev/v1alpha1
      kind: PropagationPolicy
      metadata: {name: api, namespace: shop}
      spec:
        resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: api}]
        placement:
          clusterAffinity: {names: [eu-west-1, us-east-1%s]}
      """;

  @Test
  void aPolicyNamingAClusterThatLeavesSaysSo() throws Exception {
    // Given: a policy naming two clusters of the fleet
    apply(PP.formatted(""));
    JsonNode pp =
        awaitPolicy(
            "references resolved",
            p -> condition(p, "ResolvedRefs").path("status").asText().equals("True"));
    assertThat(pp.path("status").has("warnings")).isFalse();
    assertThat(pp.path("status").path("observedGeneration").asLong())
        .isEqualTo(pp.path("metadata").path("generation").asLong());
    // When: one of them leaves the fleet
    Main.Result unjoined = run("unjoin", "us-east-1");
    assertThat(unjoined.code()).as(unjoined.err()).isZero();
    // Then: the policy says which name no longer resolves, at which field
    pp =
        awaitPolicy(
            "UnknownClusters",
            p -> condition(p, "ResolvedRefs").path("reason").asText().equals("UnknownClusters"));
    assertThat(condition(pp, "ResolvedRefs").path("status").asText()).isEqualTo("False");
    assertThat(condition(pp, "ResolvedRefs").path("message").asText())
        .contains("us-east-1")
        .doesNotContain("eu-west-1");
    assertThat(pp.path("status").path("warnings").toString())
        .contains("spec.placement.clusterAffinity.names[1]")
        .contains("no cluster named \\\"us-east-1\\\" is known");
    // and an event tells it too
    fleet.await(
        "an UnknownClusters event",
        evs -> evs.toString().contains("UnknownClusters") && evs.toString().contains("us-east-1"),
        "events",
        "-n",
        "shop");
    // and describe and get show it
    Main.Result described = run("describe", "pp", "api", "-n", "shop");
    assertThat(described.out()).contains("ResolvedRefs").contains("UnknownClusters");
    Main.Result listed = run("get", "pp", "-n", "shop");
    assertThat(listed.out().lines().findFirst().orElse(""))
        .contains("RESOLVED")
        .contains("WARNINGS");
    assertThat(listed.out()).containsPattern("api\\s+False\\s+1\\s");
  }

  @Test
  void aPolicyWrittenWithAnUnknownNameResolvesOnceTheClusterJoins() throws Exception {
    // Given: a policy naming a cluster not (yet) in the fleet
    Main.Result r = apply(PP.formatted(", eu-central-1"));
    assertThat(r.err()).contains("Warning:").contains("eu-central-1");
    awaitPolicy(
        "UnknownClusters",
        p -> condition(p, "ResolvedRefs").path("reason").asText().equals("UnknownClusters"));
    // When: that cluster joins
    apply(
        """
        apiVersion: fleet.meridian.dev/v1alpha1
        kind: Cluster
        metadata: {name: eu-central-1}
        spec:
          connection: {simulated: {}}
          location: {region: eu-central, country: DE, provider: aws}
        """);
    // Then
    JsonNode pp =
        awaitPolicy(
            "references resolved",
            p -> condition(p, "ResolvedRefs").path("status").asText().equals("True"));
    assertThat(pp.path("status").has("warnings")).isFalse();
  }

  @Test
  void aGuardrailSaysWhichClustersItAllowsAndWhenNoneIsLeft() throws Exception {
    // Given: the GDPR guardrail allows only the German cluster
    JsonNode rp =
        awaitGuardrail(
            "allowed clusters listed", p -> p.path("status").path("allowedClusters").size() == 1);
    assertThat(rp.path("status").path("allowedClusters").toString()).isEqualTo("[\"eu-west-1\"]");
    assertThat(condition(rp, "Satisfiable").path("status").asText()).isEqualTo("True");
    assertThat(condition(rp, "Satisfiable").path("message").asText())
        .isEqualTo("1 of 3 clusters are in the allowed locations");
    assertThat(run("get", "residencypolicy").out())
        .containsPattern("gdpr-eu-personal-data\\s+Deny\\s+eu-west-1\\s");
    // When: that cluster leaves
    assertThat(run("unjoin", "eu-west-1").code()).isZero();
    // Then: the guardrail says nothing it selects can run anywhere
    rp =
        awaitGuardrail(
            "NoAllowedCluster",
            p -> condition(p, "Satisfiable").path("status").asText().equals("False"));
    assertThat(condition(rp, "Satisfiable").path("reason").asText()).isEqualTo("NoAllowedCluster");
    assertThat(rp.path("status").path("allowedClusters").size()).isZero();
    fleet.await(
        "a NoAllowedCluster event",
        evs -> evs.toString().contains("NoAllowedCluster"),
        "events",
        "-n",
        "default");
  }
}
