package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KindResolverTest {
  static final ResourceType GIZMO =
      new ResourceType("example.com", "v1", "Gizmo", "gizmos", "gizmo", List.of("gz"), true, false);

  /** A hub serving the standard kinds plus a custom one, counting discovery calls. */
  static final class FakeDiscovery implements KindSource {
    final List<String> calls = new ArrayList<>();
    boolean available = true;

    @Override
    public List<ResourceType> all() {
      calls.add("all");
      return served();
    }

    private List<ResourceType> served() {
      if (!available) {
        throw new Unavailable("no discovery");
      }
      List<ResourceType> types = new ArrayList<>(ResourceTypes.standard().all());
      types.add(GIZMO);
      return types;
    }

    @Override
    public List<ResourceType> groupVersion(String apiVersion) {
      calls.add(apiVersion);
      return served().stream().filter(t -> t.apiVersion().equals(apiVersion)).toList();
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "deploy, Deployment",
    "deployments, Deployment",
    "deployment, Deployment",
    "Deployment, Deployment",
    "deployments.apps, Deployment",
    "cluster, Cluster",
    "clusters, Cluster",
    "mc, Cluster",
    "pp, PropagationPolicy",
    "cm, ConfigMap",
    "ns, Namespace",
    "gz, Gizmo",
    "gizmos.example.com, Gizmo"
  })
  void resolvesWhatUsersTypeLikeKubectl(String typed, String kind) {
    assertThat(new KindResolver(new FakeDiscovery()).resolve(typed).kind()).isEqualTo(kind);
  }

  @Test
  void prefersMeridiansOwnKindWhenTwoGroupsShareAName() {
    // "role" is both security.meridian.dev and rbac.authorization.k8s.io
    assertThat(new KindResolver(new FakeDiscovery()).resolve("role").group())
        .isEqualTo(ResourceTypes.SECURITY);
    assertThat(
            new KindResolver(new FakeDiscovery())
                .resolve("roles.rbac.authorization.k8s.io")
                .group())
        .isEqualTo("rbac.authorization.k8s.io");
  }

  @Test
  void refusesAnUnknownKindInKubectlsWords() {
    assertThatThrownBy(() -> new KindResolver(new FakeDiscovery()).resolve("foo"))
        .isInstanceOf(CliException.class)
        .hasMessage("the server doesn't have a resource type \"foo\"");
  }

  @Test
  void asksDiscoveryOncePerInvocation() {
    // Given a resolver
    FakeDiscovery discovery = new FakeDiscovery();
    KindResolver kinds = new KindResolver(discovery);

    // When it resolves several names and several manifests of one group version
    kinds.resolve("deploy");
    kinds.resolve("mc");
    kinds.forKind("apps/v1", "Deployment");
    kinds.forKind("apps/v1", "StatefulSet");

    // Then it asked for everything once and for apps/v1 once
    assertThat(discovery.calls).containsExactly("all", "apps/v1");
  }

  @Test
  void fallsBackToTheBuiltInKindsWhenDiscoveryIsUnavailable() {
    // Given a hub without discovery
    FakeDiscovery discovery = new FakeDiscovery();
    discovery.available = false;
    KindResolver kinds = new KindResolver(discovery);

    // Then built-in kinds still resolve, custom ones do not
    assertThat(kinds.resolve("deploy").kind()).isEqualTo("Deployment");
    assertThat(kinds.forKind("fleet.meridian.dev/v1alpha1", "Cluster")).isPresent();
    assertThat(kinds.forKind("example.com/v1", "Gizmo")).isEmpty();
    assertThatThrownBy(() -> kinds.resolve("gz")).isInstanceOf(CliException.class);
  }

  @Test
  void findsTheKindOfAManifestOnlyInItsOwnGroupVersion() {
    KindResolver kinds = new KindResolver(new FakeDiscovery());
    assertThat(kinds.forKind("example.com/v1", "Gizmo")).contains(GIZMO);
    assertThat(kinds.forKind("example.com/v2", "Gizmo")).isEmpty();
    assertThat(kinds.forKind("v1", "Deployment")).isEmpty();
  }

  @Test
  void readsAnApiResourceListSkippingSubresources() throws Exception {
    // Given the hub's answer for apps/v1
    String json =
        """
        {"kind":"APIResourceList","groupVersion":"apps/v1","resources":[
          {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment",
           "shortNames":["deploy"],"verbs":["get","list"]},
          {"name":"deployments/status","singularName":"","namespaced":true,"kind":"Deployment"},
          {"name":"widgets","namespaced":false,"kind":"Widget"}]}
        """;

    // When it is read
    List<ResourceType> types =
        HubDiscovery.parseResourceList(ResourceCodec.JSON.readTree(json), "apps/v1");

    // Then each kind is there once, with its scope, short names and a singular even if none given
    assertThat(types)
        .containsExactly(
            new ResourceType(
                "apps",
                "v1",
                "Deployment",
                "deployments",
                "deployment",
                List.of("deploy"),
                true,
                false),
            new ResourceType("apps", "v1", "Widget", "widgets", "widget", List.of(), false, false));
  }
}
