package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTargetTest {
  final KindResolver kinds = new KindResolver(new KindResolverTest.FakeDiscovery());

  static final String OBJECTS =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      ---
      apiVersion: fleet.meridian.dev/v1alpha1
      kind: Cluster
      metadata: {name: eu, namespace: ignored}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: cfg, namespace: own}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop}
      """;

  @Test
  void settlesNamespacesAndPutsNamespacesFirst() {
    // When objects with and without namespaces, of both scopes, are resolved without -n
    List<ManifestTarget> targets =
        ManifestTarget.creationOrder(
            ManifestTarget.resolve(ManifestReader.parse("f.yaml", OBJECTS), kinds, null));

    // Then the Namespace comes first, the rest keep their order, and each has its namespace
    assertThat(targets)
        .extracting(t -> t.displayName() + "@" + t.namespace())
        .containsExactly(
            "namespace/shop@",
            "deployment.apps/web@default",
            "cluster.fleet.meridian.dev/eu@",
            "configmap/cfg@own");
    assertThat(targets.get(1).objectPath())
        .isEqualTo("/apis/apps/v1/namespaces/default/deployments/web");
    assertThat(targets.get(1).object().path("metadata").path("namespace").asText())
        .isEqualTo("default");
    assertThat(targets.get(2).object().path("metadata").has("namespace")).isFalse();
  }

  @Test
  void refusesANamespaceThatContradictsTheFlag() {
    List<Manifest> manifests = ManifestReader.parse("f.yaml", OBJECTS);
    assertThatThrownBy(() -> ManifestTarget.resolve(manifests, kinds, "other"))
        .hasMessage(
            "f.yaml: object 3 (ConfigMap cfg): its namespace \"own\" does not match the namespace"
                + " \"other\" given with -n");
  }

  @Test
  void refusesKindsTheHubDoesNotServeAndNamesThatAreNotPathSegments() {
    assertThatThrownBy(
            () ->
                ManifestTarget.resolve(
                    ManifestReader.parse(
                        "f.yaml", "apiVersion: x.io/v1\nkind: Thing\nmetadata: {name: t}"),
                    kinds,
                    null))
        .hasMessage(
            "f.yaml: object 1 (Thing t): no matches for kind \"Thing\" in version \"x.io/v1\"");
    assertThatThrownBy(
            () ->
                ManifestTarget.resolve(
                    ManifestReader.parse(
                        "f.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ../x}"),
                    kinds,
                    null))
        .hasMessageContaining("invalid")
        .hasMessageContaining("\"../x\"");
  }

  @Test
  void dropsTheMetadataTheHubOwns() {
    ManifestTarget t =
        ManifestTarget.resolve(
                ManifestReader.parse(
                    "f.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, uid: u, resourceVersion: '9',"
                        + " creationTimestamp: '2026-01-01T00:00:00Z', labels: {k: v}}"),
                kinds,
                null)
            .get(0);
    assertThat(t.object().path("metadata").fieldNames())
        .toIterable()
        .containsExactly("name", "labels", "namespace");
  }
}
