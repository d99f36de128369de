package dev.meridian.controllers.propagation.render;

import static dev.meridian.controllers.propagation.render.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MemberManifestTest {

  @Test
  void dropsWhatTheHubSetAndKeepsWhatTheUserWrote() {
    // Given
    ObjectNode template = Fixtures.deployment();
    ObjectNode before = template.deepCopy();
    // When
    ObjectNode manifest = MemberManifest.render(template, "shop", "web-deployment", null);
    // Then
    assertThat(manifest.has("status")).isFalse();
    assertThat(manifest.path("metadata").properties())
        .extracting(e -> e.getKey())
        .containsExactlyInAnyOrder("name", "namespace", "labels", "annotations");
    assertThat(manifest.path("metadata").path("namespace").asText()).isEqualTo("shop");
    assertThat(manifest.path("spec")).isEqualTo(template.path("spec"));
    assertThat(template).as("the template is not changed").isEqualTo(before);
  }

  @Test
  void addsMeridiansLabelAndBindingAnnotationBesideTheUsersOwn() {
    // Given
    ObjectNode template = Fixtures.deployment();
    // When
    ObjectNode manifest = MemberManifest.render(template, "shop", "web-deployment", null);
    // Then
    assertThat(manifest.at("/metadata/labels").toString())
        .isEqualTo("{\"app\":\"web\",\"tier\":\"frontend\",\"meridian.dev/managed\":\"true\"}");
    assertThat(manifest.at("/metadata/annotations/meridian.dev~1binding").asText())
        .isEqualTo("shop/web-deployment");
    assertThat(manifest.at("/metadata/annotations/team").asText()).isEqualTo("storefront");
    assertThat(manifest.at("/metadata/annotations/prometheus.io~1scrape").asText())
        .isEqualTo("true");
  }

  @Test
  void aTemplateWithoutLabelsOrAnnotationsGetsMeridiansOnly() {
    // Given
    ObjectNode template =
        yaml(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-config, namespace: shop}
            data: {LISTEN: ":8080"}
            """);
    // When
    ObjectNode manifest = MemberManifest.render(template, "shop", "web-config-configmap", 3);
    // Then
    assertThat(MemberManifest.isManagedByMeridian(manifest)).isTrue();
    assertThat(manifest.at("/metadata/annotations").size()).isEqualTo(1);
    assertThat(manifest.has("spec")).as("a ConfigMap has no replicas to set").isFalse();
    assertThat(manifest.at("/data/LISTEN").asText()).isEqualTo(":8080");
  }

  @Test
  void setsTheClustersShareOfReplicas() {
    // Given
    ObjectNode template = Fixtures.deployment();
    // When
    ObjectNode manifest = MemberManifest.render(template, "shop", "web-deployment", 2);
    // Then
    assertThat(manifest.at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void setsReplicasOnADeploymentOrStatefulSetThatLeftThemOut() {
    // Given
    ObjectNode deployment =
        yaml(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop}
            spec:
              selector: {matchLabels: {app: api}}
              template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: api:1}]}}
            """);
    ObjectNode statefulSet =
        yaml(
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: shop}
            spec:
              serviceName: db
              selector: {matchLabels: {app: db}}
              template: {metadata: {labels: {app: db}}, spec: {containers: [{name: pg, image: postgres:17}]}}
            """);
    // When
    ObjectNode d = MemberManifest.render(deployment, "shop", "api", 4);
    ObjectNode s = MemberManifest.render(statefulSet, "shop", "db", 1);
    // Then
    assertThat(d.at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(s.at("/spec/replicas").asInt()).isEqualTo(1);
  }

  @Test
  void setsReplicasOfACustomResourceOnlyWhenItAlreadyHasANumericCount() {
    // Given
    ObjectNode rollout =
        yaml(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: web, namespace: shop}
            spec: {replicas: 5, strategy: {canary: {}}}
            """);
    ObjectNode database =
        yaml(
            """
            apiVersion: postgresql.cnpg.io/v1
            kind: Cluster
            metadata: {name: pg, namespace: shop}
            spec: {instances: 3}
            """);
    // When
    ObjectNode r = MemberManifest.render(rollout, "shop", "web", 2);
    ObjectNode p = MemberManifest.render(database, "shop", "pg", 2);
    // Then
    assertThat(r.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(p.at("/spec").toString()).isEqualTo("{\"instances\":3}");
  }

  @Test
  void keepsTheTemplatesReplicasWhenNoneAreGiven() {
    // Given
    ObjectNode template = Fixtures.deployment();
    // When
    ObjectNode manifest = MemberManifest.render(template, "shop", "web-deployment", null);
    // Then
    assertThat(manifest.at("/spec/replicas").asInt()).isEqualTo(6);
  }

  @Test
  void aClusterScopedBindingIsAnnotatedByNameAlone() {
    // Given
    ObjectNode template =
        yaml(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: metrics-reader}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
            """);
    // When
    ObjectNode manifest = MemberManifest.render(template, "", "metrics-reader-clusterrole", null);
    // Then
    assertThat(manifest.at("/metadata/annotations/meridian.dev~1binding").asText())
        .isEqualTo("metrics-reader-clusterrole");
  }

  @Test
  void negativeReplicasAreABugNotAManifest() {
    // Given
    ObjectNode template = Fixtures.deployment();
    // When / Then
    assertThatThrownBy(() -> MemberManifest.render(template, "shop", "web", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyObjectsLabelledByMeridianAreItsOwn() {
    // Given
    ObjectNode rendered = MemberManifest.render(Fixtures.deployment(), "shop", "web", null);
    ObjectNode someoneElses = Fixtures.deployment();
    ObjectNode optedOut = rendered.deepCopy();
    ((ObjectNode) optedOut.at("/metadata/labels")).put(MemberManifest.MANAGED_LABEL, "false");
    // When / Then
    assertThat(MemberManifest.isManagedByMeridian(rendered)).isTrue();
    assertThat(MemberManifest.isManagedByMeridian(someoneElses)).isFalse();
    assertThat(MemberManifest.isManagedByMeridian(optedOut)).isFalse();
    assertThat(MemberManifest.isManagedByMeridian(null)).isFalse();
  }
}
