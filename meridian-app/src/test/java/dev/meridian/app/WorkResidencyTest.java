package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.ResourceRef;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Residency guardrails hold for Works themselves, not only for what the scheduler places: a Work
 * written or edited through the API is refused when a guardrail forbids its objects on its cluster,
 * and a Work that a guardrail added later forbids is not applied any more.
 */
class WorkResidencyTest extends SampleFleetTest {

  static String work(String name, String cluster, String labels) {
    return """
        apiVersion: work.meridian.dev/v1alpha1
        kind: Work
        metadata: {name: %s, namespace: shop}
        spec:
          cluster: %s
          manifests:
          - apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: crm-data, namespace: shop, labels: {%s}}
            data: {customers: "42"}
        """
        .formatted(name, cluster, labels);
  }

  /** {@code meridian apply -f} of {@code yaml}, which may fail. */
  Main.Result tryApply(String yaml) throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile(dir, "w", ".yaml");
    java.nio.file.Files.writeString(f, yaml);
    return run("apply", "-f", f.toString());
  }

  @Test
  void aWorkThatPutsEuPersonalDataOutsideTheEuIsRefused() throws Exception {
    // When: EU personal data (the sample fleet's GDPR guardrail allows DE only) for the US cluster
    Main.Result us =
        tryApply(work("crm-us", "us-east-1", "data.meridian.dev/classification: eu-personal"));
    // Then: refused, saying which object and which guardrail, and nothing stored
    assertThat(us.code()).isNotZero();
    assertThat(us.err())
        .contains("ConfigMap shop/crm-data")
        .contains("gdpr-eu-personal-data")
        .doesNotContain("\n\n");
    assertThat(run("get", "work", "crm-us", "-n", "shop").code()).isNotZero();
    // and the same object for the DE cluster is accepted
    Main.Result eu =
        apply(work("crm-eu", "eu-west-1", "data.meridian.dev/classification: eu-personal"));
    assertThat(eu.code()).as(eu.err()).isZero();
  }

  @Test
  void anEditThatWouldBreachAGuardrailIsRefusedAndChangesNothing() throws Exception {
    // Given: an unclassified ConfigMap for the US cluster
    Main.Result created = apply(work("crm-us", "us-east-1", "team: crm"));
    assertThat(created.code()).as(created.err()).isZero();
    // When: it is classified as EU personal data in place
    Main.Result edited =
        tryApply(
            work(
                "crm-us", "us-east-1", "team: crm, data.meridian.dev/classification: eu-personal"));
    // Then: refused, and the stored Work is the one before
    assertThat(edited.code()).isNotZero();
    assertThat(edited.err()).contains("gdpr-eu-personal-data");
    JsonNode stored = fleet.await("the Work as created", w -> true, "work", "crm-us", "-n", "shop");
    assertThat(stored.path("spec").path("manifests").toString()).doesNotContain("eu-personal");
  }

  @Test
  void aWorkThatAGuardrailAddedLaterForbidsIsNotAppliedAgain() throws Exception {
    // Given: the Work controller looks at every Work every 200 ms; an unclassified Work applied
    fleet.restart(o -> o.withResync(Duration.ofMillis(200)));
    Main.Result created = apply(work("crm-us", "us-east-1", "team: crm"));
    assertThat(created.code()).as(created.err()).isZero();
    MemberCluster us = fleet.hub().members().connected("us-east-1");
    ResourceRef cm = new ResourceRef("v1", "ConfigMap", "shop", "crm-data");
    PropagationSimulatedTest.awaitMember(us, cm, "applied", c -> true);
    // When: a guardrail keeps the team's data in Germany from now on
    Main.Result guardrail =
        apply(
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: ResidencyPolicy
            metadata: {name: crm-in-germany}
            spec:
              resourceSelector: {matchLabels: {team: crm}}
              allowedLocations: {countries: [DE]}
              enforcement: Deny
            """);
    assertThat(guardrail.code()).as(guardrail.err()).isZero();
    // and someone changes the object in the member, which the Work would put back
    us.delete(cm);
    // Then: the Work says why it is not applied, and does not apply it again
    JsonNode refused =
        fleet.await(
            "the Work refused by the new guardrail",
            w ->
                w.path("status")
                    .path("conditions")
                    .path(0)
                    .path("reason")
                    .asText()
                    .equals("ResidencyViolation"),
            "work",
            "crm-us",
            "-n",
            "shop");
    assertThat(refused.path("status").path("conditions").path(0).path("message").asText())
        .contains("crm-in-germany");
    Thread.sleep(1000); // several Work passes
    assertThat(us.get(cm)).isEmpty();
  }

  @Test
  void movingAClusterWhereItsWorkloadsMayNotBeIsRefused() throws Exception {
    // Given: EU personal data on eu-west-1 (DE)
    Main.Result created =
        apply(work("crm-eu", "eu-west-1", "data.meridian.dev/classification: eu-personal"));
    assertThat(created.code()).as(created.err()).isZero();
    JsonNode cluster = fleet.await("eu-west-1", c -> true, "cluster", "eu-west-1");
    ObjectNode moved = (ObjectNode) cluster.deepCopy();
    ((ObjectNode) moved.path("spec").path("location")).put("country", "US");
    moved.remove("status");
    // When: its location is changed to the US
    Main.Result r = tryApply(ResourceCodec.JSON.writeValueAsString(moved));
    // Then: refused, naming the Work in breach, and the cluster is still in DE
    assertThat(r.code()).isNotZero();
    assertThat(r.err())
        .contains("spec.location")
        .contains("Work shop/crm-eu")
        .contains("gdpr-eu-personal-data");
    assertThat(
            fleet
                .await("eu-west-1", c -> true, "cluster", "eu-west-1")
                .path("spec")
                .path("location")
                .path("country")
                .asText())
        .isEqualTo("DE");
    // and a move that breaches nothing (another EU country) is accepted
    ((ObjectNode) moved.path("spec").path("location")).put("country", "FR");
    Main.Result fr = tryApply(ResourceCodec.JSON.writeValueAsString(moved));
    assertThat(fr.code()).as(fr.err()).isZero();
  }
}
