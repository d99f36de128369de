package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.members.ResourceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Karmada's own sample policies, applied to the hub unchanged, scheduled as Karmada documents them,
 * on simulated clusters named as in Karmada's samples ({@code member1}, {@code member2}).
 */
class KarmadaPoliciesSimulatedTest extends SampleFleetTest {
  static final Path SAMPLES = Path.of("..", "meridian-api", "src", "test", "resources", "karmada");
  static final ResourceRef NGINX = new ResourceRef("apps/v1", "Deployment", "default", "nginx");

  static String sample(String name) throws Exception {
    return Files.readString(SAMPLES.resolve(name));
  }

  @BeforeEach
  void karmadasMembers() throws Exception {
    for (String[] c :
        new String[][] {{"member1", "eu-central", "DE"}, {"member2", "us-west", "US"}}) {
      apply(
          """
          apiVersion: fleet.meridian.dev/v1alpha1
          kind: Cluster
          metadata: {name: %s}
          spec:
            connection:
              simulated: {capacity: {cpu: "16", memory: 64Gi, pods: "200"}, apiLatencyMs: 5}
            location: {region: %s, zone: %s-a, country: %s, provider: onprem}
          """
              .formatted(c[0], c[1], c[1], c[2]));
      fleet.await(
          c[0] + " Ready",
          x -> x.path("status").path("conditions").toString().contains("\"Ready\""),
          "cluster",
          c[0]);
    }
  }

  JsonNode awaitBinding(String what, Predicate<JsonNode> ok) throws Exception {
    return fleet.await(what, ok, "resourcebinding", "nginx-deployment", "-n", "default");
  }

  ObjectNode awaitMember(String cluster, String what, Predicate<ObjectNode> ok) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Optional<ObjectNode> last = Optional.empty();
    while (System.nanoTime() < deadline) {
      last = fleet.hub().members().connected(cluster).get(NGINX);
      if (last.isPresent() && ok.test(last.get())) {
        return last.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("nginx on " + cluster + " never " + what + "; last: " + last);
  }

  @Test
  void theNginxSampleIsDividedByItsStaticWeightsAndOverriddenPerCluster() throws Exception {
    // When: Karmada's nginx sample, as its README applies it
    apply(sample("nginx-deployment.yaml"));
    apply(sample("nginx-propagationpolicy.yaml"));
    apply(sample("nginx-overridepolicy.yaml"));
    // Then: two replicas, one per cluster (weights 1:1)
    JsonNode binding =
        awaitBinding(
            "member1=1 member2=1",
            b ->
                b.path("spec")
                    .path("clusters")
                    .toString()
                    .equals(
                        "[{\"name\":\"member1\",\"replicas\":1},{\"name\":\"member2\",\"replicas\":1}]"));
    assertThat(binding.path("spec").path("clusters").size()).isEqualTo(2);
    // and member2's copy has the labels, member1's the annotations, of the OverridePolicy
    ObjectNode m2 =
        awaitMember("member2", "labelled", d -> d.path("metadata").path("labels").has("env-stat"));
    assertThat(m2.at("/metadata/labels/env").asText()).isEqualTo("skoala-dev");
    ObjectNode m1 =
        awaitMember("member1", "annotated", d -> d.path("metadata").path("annotations").has("env"));
    assertThat(m1.at("/metadata/annotations/env").asText()).isEqualTo("skoala-stage");
    // and the hub shows the Karmada policy and the Meridian policy it became
    Main.Result karmada =
        run("get", "propagationpolicies.policy.karmada.io", "nginx-propagation", "-n", "default");
    assertThat(karmada.code()).as(karmada.err()).isZero();
    Main.Result twin = run("get", "pp", "nginx-propagation", "-n", "default", "-o", "yaml");
    assertThat(twin.out()).contains("meridian.dev/converted-from: policy.karmada.io/v1alpha1");
  }

  @Test
  void spreadByRegionPicksTwoClustersInTwoRegions() throws Exception {
    apply(sample("nginx-deployment.yaml"));
    apply(sample("docs-spread-by-region.yaml"));
    JsonNode binding =
        awaitBinding("two clusters", b -> b.path("spec").path("clusters").size() == 2);
    for (JsonNode c : binding.path("spec").path("clusters")) {
      assertThat(c.path("replicas").asInt()).as("duplicated").isEqualTo(2);
    }
    assertThat(binding.path("spec").path("clusters").get(0).path("name").asText())
        .isNotEqualTo(binding.path("spec").path("clusters").get(1).path("name").asText());
  }

  @Test
  void aFieldMeridianCannotHonourIsRefusedAndNothingIsStored() throws Exception {
    Path bad = Files.createTempFile(dir, "karmada", ".yaml");
    Files.writeString(
        bad,
        sample("docs-duplicated.yaml")
            .replace("  placement:", "  suspension: {dispatching: true}\n  placement:"));
    Main.Result refused = run("apply", "-f", bad.toString());
    assertThat(refused.code()).isNotZero();
    assertThat(refused.err()).contains("spec.suspension: not supported yet: suspended dispatching");
    assertThat(
            run(
                    "get",
                    "propagationpolicies.policy.karmada.io",
                    "nginx-propagation",
                    "-n",
                    "default")
                .code())
        .isNotZero();
    assertThat(run("get", "pp", "nginx-propagation", "-n", "default").code()).isNotZero();
  }

  @Test
  void deletingTheKarmadaPolicyDeletesItsTwinAndThePlacement() throws Exception {
    apply(sample("nginx-deployment.yaml"));
    apply(sample("docs-duplicated.yaml"));
    awaitBinding("on member1 and member2", b -> b.path("spec").path("clusters").size() == 2);
    Main.Result deleted =
        run(
            "delete",
            "propagationpolicies.policy.karmada.io",
            "nginx-propagation",
            "-n",
            "default");
    assertThat(deleted.code()).as(deleted.err()).isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (run("get", "rb", "nginx-deployment", "-n", "default").code() == 0
        || run("get", "pp", "nginx-propagation", "-n", "default").code() == 0) {
      assertThat(System.nanoTime()).as("twin and binding gone").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
