package dev.meridian.controllers.propagation.render;

import static dev.meridian.controllers.propagation.render.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DriftTest {
  final ObjectNode desired = MemberManifest.render(Fixtures.deployment(), "shop", "web", 3);

  /** What the member's API server returns for the applied manifest: defaults, status and all. */
  ObjectNode live() {
    ObjectNode live = desired.deepCopy();
    ObjectNode meta = (ObjectNode) live.get("metadata");
    meta.put("uid", "0b7c").put("resourceVersion", "99812").put("generation", 1);
    meta.putArray("managedFields").addObject().put("manager", "meridian");
    ((ObjectNode) meta.get("annotations")).put("deployment.kubernetes.io/revision", "1");
    ObjectNode spec = (ObjectNode) live.get("spec");
    spec.put("revisionHistoryLimit", 10).put("progressDeadlineSeconds", 600);
    ObjectNode web = (ObjectNode) live.at("/spec/template/spec/containers/0");
    web.put("imagePullPolicy", "IfNotPresent")
        .put("terminationMessagePath", "/dev/termination-log");
    live.set("status", yaml("{observedGeneration: 1, replicas: 3, readyReplicas: 3}"));
    return live;
  }

  @Test
  void anObjectWithOnlyServerDefaultsStatusAndMetadataAddedHasNotDrifted() {
    // When / Then
    assertThat(Drift.find(desired, live())).isEmpty();
  }

  @Test
  void reportsAChangedReplicaCountAndImageByContainerName() {
    // Given: someone ran kubectl scale and kubectl set image on the member
    ObjectNode live = live();
    ((ObjectNode) live.get("spec")).put("replicas", 5);
    ((ObjectNode) live.at("/spec/template/spec/containers/0")).put("image", "nginx:1.28");
    // When / Then
    assertThat(Drift.find(desired, live))
        .containsExactly("spec.replicas", "spec.template.spec.containers[web].image");
  }

  @Test
  void listItemsAreMatchedByNameWhateverTheirPosition() {
    // Given: the member's copy has its containers in another order and an injected sidecar
    ObjectNode live = live();
    ArrayNode containers = (ArrayNode) live.at("/spec/template/spec/containers");
    containers.insert(0, containers.remove(1));
    containers.addObject().put("name", "istio-proxy").put("image", "istio/proxyv2:1.24");
    ((ObjectNode) containers.get(1).at("/env/0")).put("value", "debug");
    // When / Then
    assertThat(Drift.find(desired, live))
        .containsExactly("spec.template.spec.containers[web].env[LOG_LEVEL].value");
  }

  @Test
  void aMissingContainerOrVolumeIsReportedAsAWhole() {
    // Given
    ObjectNode live = live();
    ((ArrayNode) live.at("/spec/template/spec/containers")).remove(1);
    ((ArrayNode) live.at("/spec/template/spec/volumes")).remove(3);
    // When / Then
    assertThat(Drift.find(desired, live))
        .containsExactly(
            "spec.template.spec.containers[metrics]", "spec.template.spec.volumes[uploads]");
  }

  @Test
  void listsWithoutNamesAreComparedWholeSinceApplyReplacesThem() {
    // Given
    ObjectNode live = live();
    ((ArrayNode) live.at("/spec/template/spec/containers/0/args")).add("--debug");
    ObjectNode reordered = live();
    ArrayNode args = (ArrayNode) reordered.at("/spec/template/spec/containers/0/args");
    args.insert(0, args.remove(1));
    // When / Then
    assertThat(Drift.find(desired, live))
        .containsExactly("spec.template.spec.containers[web].args");
    assertThat(Drift.find(desired, reordered))
        .containsExactly(
            "spec.template.spec.containers[web].args[0]",
            "spec.template.spec.containers[web].args[1]");
  }

  @Test
  void onlyTheLabelsAndAnnotationsTheManifestSetsCount() {
    // Given
    ObjectNode live = live();
    ObjectNode labels = (ObjectNode) live.at("/metadata/labels");
    labels.put("tier", "backend").put("added-by-someone", "x");
    ((ObjectNode) live.at("/metadata/annotations")).remove("prometheus.io/scrape");
    ((ObjectNode) live.get("metadata")).put("name", "ignored-too");
    // When / Then
    assertThat(Drift.find(desired, live))
        .containsExactly("metadata.labels.tier", "metadata.annotations[prometheus.io/scrape]");
  }

  @Test
  void numbersCompareByValueAndResourceAmountsAsQuantities() {
    // Given: the API server writes quantities in its own spelling
    ObjectNode want = desired.deepCopy();
    ((ObjectNode) want.at("/spec/template/spec/containers/0/resources/limits")).put("cpu", "0.5");
    ObjectNode live = live();
    ((ObjectNode) live.get("spec")).put("replicas", new BigDecimal("3.0"));
    ((ObjectNode) live.at("/spec/template/spec/containers/0/resources/limits")).put("cpu", "500m");
    // When / Then: the same values are no drift
    assertThat(Drift.find(want, live)).isEmpty();
    // but another amount is
    ((ObjectNode) live.at("/spec/template/spec/containers/0/resources/limits")).put("cpu", "600m");
    assertThat(Drift.find(want, live))
        .containsExactly("spec.template.spec.containers[web].resources.limits.cpu");
  }

  @Test
  void onlyResourceAmountsCompareAsQuantities() {
    // Given: an image tag that reads like a quantity
    ObjectNode want = desired.deepCopy();
    ((ObjectNode) want.at("/spec/template/spec/containers/0")).put("image", "1.0");
    ObjectNode live = live();
    ((ObjectNode) live.at("/spec/template/spec/containers/0")).put("image", "1");
    // When / Then
    assertThat(Drift.find(want, live)).containsExactly("spec.template.spec.containers[web].image");
  }

  @Test
  void aValueOfAnotherTypeHasDrifted() {
    // Given
    ObjectNode live = live();
    ((ObjectNode) live.get("spec")).put("replicas", "3");
    // When / Then
    assertThat(Drift.find(desired, live)).containsExactly("spec.replicas");
  }

  @Test
  void anEmptyObjectOrListInTheManifestMatchesAnAbsentField() {
    // Given
    ObjectNode want =
        yaml(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: shop}
            spec:
              securityContext: {}
              tolerations: []
              containers: [{name: app, image: "app:1", resources: {}}]
            """);
    ObjectNode have =
        yaml(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: shop}
            spec:
              containers: [{name: app, image: "app:1"}]
            """);
    // When / Then
    assertThat(Drift.find(want, have)).isEmpty();
  }

  @Test
  void itemsWithDuplicateNamesAreComparedByPosition() {
    // Given: one volume mounted twice, so the mounts' names are not unique
    ObjectNode want =
        yaml(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: app
                image: "app:1"
                volumeMounts:
                - {name: config, mountPath: /etc/app, subPath: app}
                - {name: config, mountPath: /etc/log, subPath: log}
            """);
    ObjectNode have = want.deepCopy();
    ((ObjectNode) have.at("/spec/containers/0/volumeMounts/1")).put("mountPath", "/etc/logging");
    // When / Then
    assertThat(Drift.find(want, have))
        .containsExactly("spec.containers[app].volumeMounts[1].mountPath");
  }
}
