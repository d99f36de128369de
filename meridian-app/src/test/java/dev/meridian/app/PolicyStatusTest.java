package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy's status follows the fleet: a cluster it names that leaves, a guardrail left with no
 * allowed cluster, are reported on the policy (and as events), not only once as warnings when the
 * policy was written.
 */
class PolicyStatusTest {
  @TempDir Path dir;
  Hub hub;

  @BeforeEach
  void start() throws Exception {
    hub =
        Hub.start(
            HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0)
                .withHealth(Duration.ofMillis(200), Duration.ofSeconds(2)));
    // three simulated clusters (DE, US, IN) and the GDPR guardrail allowing DE only
    apply(Files.readString(Path.of("..", "examples", "fleet.yaml")));
    apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  Main.Result run(String... args) {
    return Main.capture(hub.clientEnvironment(), args);
  }

  Main.Result apply(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "m", ".yaml");
    Files.writeString(f, yaml);
    Main.Result r = run("apply", "-f", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  JsonNode await(String what, Predicate<JsonNode> ok, String... get) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Main.Result r = run(get);
      if (r.code() == 0) {
        last = ResourceCodec.JSON.readTree(r.out());
        if (ok.test(last)) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never " + what + "; last: " + last);
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
        await(
            "references resolved",
            p -> condition(p, "ResolvedRefs").path("status").asText().equals("True"),
            "get",
            "pp",
            "api",
            "-n",
            "shop",
            "-o",
            "json");
    assertThat(pp.path("status").has("warnings")).isFalse();
    assertThat(pp.path("status").path("observedGeneration").asLong())
        .isEqualTo(pp.path("metadata").path("generation").asLong());
    // When: one of them leaves the fleet
    Main.Result unjoined = run("unjoin", "us-east-1");
    assertThat(unjoined.code()).as(unjoined.err()).isZero();
    // Then: the policy says which name no longer resolves, at which field
    pp =
        await(
            "UnknownClusters",
            p -> condition(p, "ResolvedRefs").path("reason").asText().equals("UnknownClusters"),
            "get",
            "pp",
            "api",
            "-n",
            "shop",
            "-o",
            "json");
    assertThat(condition(pp, "ResolvedRefs").path("status").asText()).isEqualTo("False");
    assertThat(condition(pp, "ResolvedRefs").path("message").asText())
        .contains("us-east-1")
        .doesNotContain("eu-west-1");
    assertThat(pp.path("status").path("warnings").toString())
        .contains("spec.placement.clusterAffinity.names[1]")
        .contains("no cluster named \\\"us-east-1\\\" is known");
    // and an event tells it too
    await(
        "an UnknownClusters event",
        evs -> evs.toString().contains("UnknownClusters") && evs.toString().contains("us-east-1"),
        "get",
        "events",
        "-n",
        "shop",
        "-o",
        "json");
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
    await(
        "UnknownClusters",
        p -> condition(p, "ResolvedRefs").path("reason").asText().equals("UnknownClusters"),
        "get",
        "pp",
        "api",
        "-n",
        "shop",
        "-o",
        "json");
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
        await(
            "references resolved",
            p -> condition(p, "ResolvedRefs").path("status").asText().equals("True"),
            "get",
            "pp",
            "api",
            "-n",
            "shop",
            "-o",
            "json");
    assertThat(pp.path("status").has("warnings")).isFalse();
  }

  @Test
  void aGuardrailSaysWhichClustersItAllowsAndWhenNoneIsLeft() throws Exception {
    // Given: the GDPR guardrail allows only the German cluster
    JsonNode rp =
        await(
            "allowed clusters listed",
            p -> p.path("status").path("allowedClusters").size() == 1,
            "get",
            "residencypolicy",
            "gdpr-eu-personal-data",
            "-o",
            "json");
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
        await(
            "NoAllowedCluster",
            p -> condition(p, "Satisfiable").path("status").asText().equals("False"),
            "get",
            "residencypolicy",
            "gdpr-eu-personal-data",
            "-o",
            "json");
    assertThat(condition(rp, "Satisfiable").path("reason").asText()).isEqualTo("NoAllowedCluster");
    assertThat(rp.path("status").path("allowedClusters").size()).isZero();
    await(
        "a NoAllowedCluster event",
        evs -> evs.toString().contains("NoAllowedCluster"),
        "get",
        "events",
        "-n",
        "default",
        "-o",
        "json");
  }
}
