package dev.meridian.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.fleet.Cluster;
import org.junit.jupiter.api.Test;

class ObjectValidatorTest {
  final ResourceTypes types = ResourceTypes.standard();
  final ResourceType clusterType = types.byKind(Cluster.API_VERSION, "Cluster").orElseThrow();

  @Test
  void reportsEveryProblemWithItsFieldPath() {
    // Given
    var obj =
        ResourceCodec.readDocuments(
                """
                apiVersion: fleet.meridian.dev/v1alpha1
                kind: Cluster
                metadata: {name: Bad_Name, labels: {"ok": "yes", "bad key!": "x"}}
                spec:
                  connection: {simulated: {apiLatencyMs: -5}, kubeconfigSecret: {name: x}}
                  syncMode: Sideways
                  location: {country: Germany, regoin: eu}
                """)
            .get(0);
    // When
    var errors = ObjectValidator.validate(obj, clusterType);
    // Then
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "metadata.name",
            "metadata.labels[bad key!]",
            "spec.connection",
            "spec.connection.simulated.apiLatencyMs",
            "spec.syncMode",
            "spec.location.country",
            "spec.location.regoin");
    assertThat(
            errors.stream()
                .filter(e -> e.field().equals("spec.location.regoin"))
                .findFirst()
                .orElseThrow()
                .message())
        .contains("did you mean \"region\"");
  }

  @Test
  void acceptsAValidClusterAndReadsItAsARecord() {
    // Given
    var obj =
        ResourceCodec.readDocuments(
                """
                apiVersion: fleet.meridian.dev/v1alpha1
                kind: Cluster
                metadata: {name: eu-west-1, labels: {ring: prod}}
                spec:
                  connection: {simulated: {capacity: {cpu: "64", memory: 256Gi, pods: "1000"}, apiLatencyMs: 20}}
                  syncMode: Push
                  location: {region: eu-west, zone: eu-west-1a, country: DE, provider: aws}
                  cost: {cpuHour: 0.031, memoryGiBHour: 0.004, fixedMonthly: 73}
                """)
            .get(0);
    // When
    var errors = ObjectValidator.validate(obj, clusterType);
    Cluster c = Typed.read(obj, Cluster.class);
    // Then
    assertThat(errors).isEmpty();
    assertThat(c.spec().location().country()).isEqualTo("DE");
    assertThat(c.spec().connection().simulated().apiLatencyMs()).isEqualTo(20);
    assertThat(c.metadata().labels()).containsEntry("ring", "prod");
  }

  @Test
  void templatesOnlyNeedAValidEnvelope() {
    var deployment = types.resolve("deploy").orElseThrow();
    var ok =
        ResourceCodec.readDocuments(
                "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {anything: [1]}}")
            .get(0);
    var bad =
        ResourceCodec.readDocuments("{apiVersion: apps/v1, kind: Deployment, metadata: {}}").get(0);
    assertThat(ObjectValidator.validate(ok, deployment)).isEmpty();
    assertThat(ObjectValidator.validate(bad, deployment))
        .extracting(FieldError::field)
        .containsExactly("metadata.name");
  }

  @Test
  void resolvesKindsLikeKubectl() {
    assertThat(types.resolve("deploy").orElseThrow().kind()).isEqualTo("Deployment");
    assertThat(types.resolve("deployments.apps").orElseThrow().kind()).isEqualTo("Deployment");
    assertThat(types.resolve("mc").orElseThrow().kind()).isEqualTo("Cluster");
    assertThat(types.resolve("roles").orElseThrow().group())
        .as("Meridian's kinds win ties")
        .isEqualTo(ResourceTypes.SECURITY);
    assertThat(types.resolve("roles.rbac.authorization.k8s.io").orElseThrow().group())
        .isEqualTo("rbac.authorization.k8s.io");
    assertThat(types.resolve("widgets")).isEmpty();
  }
}
