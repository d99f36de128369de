package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import org.junit.jupiter.api.Test;

class ManifestDiffTest {
  static ObjectNode yaml(String text) {
    return ResourceCodec.readDocuments(text).get(0);
  }

  static final String MANIFEST =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop, labels: {app: web}}
      spec:
        replicas: 3
        template: {spec: {containers: [{name: web, image: "nginx:1"}]}}
      """;

  /** The manifest as the hub keeps it: with its own metadata, defaults and status. */
  static final String LIVE =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels: {app: web}
        uid: 0b1c
        resourceVersion: "42"
        generation: 2
        creationTimestamp: "2026-03-05T11:00:00Z"
        finalizers: [fleet.meridian.dev/cleanup]
      spec:
        replicas: 3.0
        revisionHistoryLimit: 10
        template: {spec: {containers: [{name: web, image: "nginx:1", imagePullPolicy: IfNotPresent}]}}
      status: {readyReplicas: 1}
      """;

  @Test
  void ignoresWhatTheHubAndOthersAddedAndHowNumbersAreWritten() {
    assertThat(ManifestDiff.firstDifference(yaml(MANIFEST), yaml(LIVE))).isEmpty();
  }

  @Test
  void ignoresServerMetadataAndStatusThatAManifestCarriesFromAnExport() {
    // Given a manifest exported with -o yaml, with a stale resourceVersion and status
    ObjectNode exported =
        yaml(
            MANIFEST.replace(
                    "labels: {app: web}}", "labels: {app: web}, resourceVersion: '1', uid: old}")
                + "status: {readyReplicas: 0}\n");

    // Then it matches the live object
    assertThat(ManifestDiff.firstDifference(exported, yaml(LIVE))).isEmpty();
  }

  @Test
  void namesTheFirstFieldTheManifestSetsDifferently() {
    assertThat(
            ManifestDiff.firstDifference(
                yaml(MANIFEST.replace("replicas: 3", "replicas: 4")), yaml(LIVE)))
        .contains("spec.replicas");
    assertThat(
            ManifestDiff.firstDifference(yaml(MANIFEST.replace("nginx:1", "nginx:2")), yaml(LIVE)))
        .contains("spec.template.spec.containers[0].image");
    assertThat(
            ManifestDiff.firstDifference(
                yaml(MANIFEST.replace("{app: web}", "{app: web, tier: gold}")), yaml(LIVE)))
        .contains("metadata.labels.tier");
  }

  @Test
  void treatsListsAsWholesInLengthAndScalarsByType() {
    // a second container, and "3" as a string, are both changes
    String twoContainers = MANIFEST.replace("}]}}", "}, {name: log, image: fluent}]}}");
    assertThat(ManifestDiff.firstDifference(yaml(twoContainers), yaml(LIVE)))
        .contains("spec.template.spec.containers");
    assertThat(
            ManifestDiff.firstDifference(
                yaml(MANIFEST.replace("replicas: 3", "replicas: '3'")), yaml(LIVE)))
        .contains("spec.replicas");
  }

  @Test
  void anEmptyOrNullFieldIsSatisfiedByItsAbsenceButNotByAValue() {
    assertThat(
            ManifestDiff.firstDifference(
                yaml(MANIFEST + "  paused: null\n  strategy: {}\n"), yaml(LIVE)))
        .isEmpty();
    assertThat(
            ManifestDiff.firstDifference(
                yaml(MANIFEST.replace("labels: {app: web}", "labels: {}")), yaml(LIVE)))
        .contains("metadata.labels");
  }
}
