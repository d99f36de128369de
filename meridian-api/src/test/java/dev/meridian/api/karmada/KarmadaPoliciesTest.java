package dev.meridian.api.karmada;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.ObjectValidator;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceTypes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Karmada's samples and user-guide policies, converted as written. */
class KarmadaPoliciesTest {
  static ObjectNode resource(String name) throws Exception {
    try (InputStream in = KarmadaPoliciesTest.class.getResourceAsStream("/karmada/" + name)) {
      return ResourceCodec.readObject(in.readAllBytes(), true);
    }
  }

  static ObjectNode yaml(String text) {
    return ResourceCodec.readObject(text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Any YAML value (a list too). */
  static JsonNode tree(String text) throws Exception {
    return ResourceCodec.YAML.readTree(text);
  }

  /** Equal as trees, numbers by value (an int weight is a long weight). */
  static void assertSameTree(JsonNode actual, String expectedYaml) throws Exception {
    JsonNode expected = tree(expectedYaml);
    assertThat(ResourceCodec.sameTree(actual, expected))
        .as("%s%nexpected%n%s", actual, expected)
        .isTrue();
  }

  /** Converts, asserts no cause, checks the result against Meridian's schema, returns its spec. */
  static JsonNode spec(ObjectNode karmada) {
    KarmadaPolicies.Conversion c = KarmadaPolicies.convert(karmada);
    assertThat(c.errors()).isEmpty();
    ObjectNode out = c.object();
    assertThat(
            ObjectValidator.validate(
                out,
                ResourceTypes.standard()
                    .byKind(out.path("apiVersion").asText(), out.path("kind").asText())
                    .orElseThrow()))
        .as("valid as Meridian's %s", out.path("kind").asText())
        .isEmpty();
    return out.path("spec");
  }

  static List<String> causes(String karmadaYaml) {
    return KarmadaPolicies.convert(yaml(karmadaYaml)).errors().stream()
        .map(e -> e.field() + ": " + e.message())
        .toList();
  }

  @Test
  void staticWeightsOfTheNginxSample() throws Exception {
    assertSameTree(
        spec(resource("nginx-propagationpolicy.yaml")),
        """
                resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: nginx}]
                placement:
                  clusterAffinity: {names: [member1, member2]}
                  replicaScheduling:
                    type: Divided
                    division: Weighted
                    weights:
                      static:
                      - {clusters: {names: [member1]}, weight: 1}
                      - {clusters: {names: [member2]}, weight: 1}
                """);
  }

  @Test
  void duplicatedAvailableReplicasAndSpreadByRegionOfTheUserGuide() throws Exception {
    assertSameTree(
        spec(resource("docs-duplicated.yaml")).path("placement"),
        """
                clusterAffinity: {names: [member1, member2]}
                replicaScheduling: {type: Duplicated}
                """);
    assertSameTree(
        spec(resource("docs-available-replicas.yaml")).at("/placement/replicaScheduling"),
        "{type: Divided, division: Weighted, weights: {dynamic: AvailableReplicas}}");
    assertSameTree(
        spec(resource("docs-spread-by-region.yaml")).path("placement"),
        """
                replicaScheduling: {type: Duplicated}
                spreadConstraints:
                - {spreadBy: region, minGroups: 2, maxGroups: 2}
                - {spreadBy: cluster, minGroups: 2, maxGroups: 2}
                """);
  }

  @Test
  void overridesOfTheSamplesAndTheUserGuide() throws Exception {
    assertSameTree(
        spec(resource("docs-override-image-registry.yaml")).path("overrideRules"),
        """
                - targetCluster: {names: [member1]}
                  overriders:
                    imageOverrider: [{component: Registry, operator: replace, value: test-repo}]
                """);
    JsonNode nginx = spec(resource("nginx-overridepolicy.yaml")).path("overrideRules");
    assertSameTree(nginx.at("/0/targetCluster"), "{names: [member2]}");
    assertSameTree(
        nginx.at("/0/overriders/labels"),
        """
                - {operator: add, value: {env: skoala-dev}}
                - {operator: add, value: {env-stat: skoala-stage}}
                - {operator: remove, value: {for: for}}
                - {operator: replace, value: {bar: test}}
                """);
    assertThat(nginx.at("/1/overriders/annotations").size()).isEqualTo(3);
    assertSameTree(
        spec(resource("guestbook-guestbooks-overridepolicy.yaml")).at("/overrideRules/0"),
        """
                targetCluster: {names: [member1]}
                overriders:
                  plaintext:
                  - {op: replace, path: /spec/size, value: 4}
                  - {op: add, path: /metadata/annotations, value: {OverridePolicy: test}}
                """);
  }

  @Test
  void aClusterPropagationPolicyAndTheTwinsMetadata() throws Exception {
    ObjectNode karmada = resource("guestbook-guestbooks-clusterpropagationpolicy.yaml");
    KarmadaPolicies.Conversion twin = KarmadaPolicies.convert(karmada);
    KarmadaPolicies.Conversion imported = KarmadaPolicies.importing(karmada);
    assertThat(twin.object().path("kind").asText()).isEqualTo("ClusterPropagationPolicy");
    assertThat(twin.object().path("apiVersion").asText()).isEqualTo("policy.meridian.dev/v1alpha1");
    assertThat(twin.object().at("/metadata/labels/meridian.dev~1dialect").asText())
        .isEqualTo("karmada");
    assertThat(twin.object().at("/metadata/annotations/meridian.dev~1converted-from").asText())
        .isEqualTo("policy.karmada.io/v1alpha1/ClusterPropagationPolicy");
    // an import is a policy of its own: not a twin the hub would delete without its source
    assertThat(imported.object().path("metadata").has("labels")).isFalse();
    assertThat(imported.object().at("/metadata/annotations/meridian.dev~1imported-from").asText())
        .isEqualTo("policy.karmada.io/v1alpha1/ClusterPropagationPolicy");
    assertThat(spec(karmada).at("/resourceSelectors/0/name").asText())
        .isEqualTo("guestbooks.webapp.my.domain");
  }

  @Test
  void karmadasDefaultsAndTheFieldsThatMapByMeaning() throws Exception {
    JsonNode spec =
        spec(
            yaml(
                """
                apiVersion: policy.karmada.io/v1alpha1
                kind: PropagationPolicy
                metadata: {name: p, namespace: shop}
                spec:
                  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
                  propagateDeps: true
                  conflictResolution: Overwrite
                  preserveResourcesOnDeletion: true
                  priority: 3
                  failover: {cluster: {purgeMode: Directly}}
                  placement:
                    clusterAffinity:
                      fieldSelector:
                        matchExpressions:
                        - {key: region, operator: In, values: [eu-west, eu-central]}
                        - {key: provider, operator: In, values: [aws]}
                      exclude: [member3]
                    clusterTolerations:
                    - {key: cluster.karmada.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
                    replicaScheduling: {}
                """));
    assertThat(spec.path("propagateDependencies").asBoolean()).isTrue();
    assertThat(spec.path("conflictResolution").asText()).isEqualTo("Adopt");
    assertThat(spec.path("deletePolicy").asText()).isEqualTo("Orphan");
    assertThat(spec.path("priority").asInt()).isEqualTo(3);
    assertThat(spec.at("/failover/purgeMode").asText()).isEqualTo("Immediately");
    assertSameTree(
        spec.at("/placement/clusterAffinity"),
        "{locations: {regions: [eu-west, eu-central], providers: [aws]}, exclude: [member3]}");
    // Karmada's taint keys become Meridian's
    assertThat(spec.at("/placement/clusterTolerations/0/key").asText())
        .isEqualTo("cluster.meridian.dev/unreachable");
    // a replicaScheduling without a type is Divided (Karmada's CRD default), weighted equally
    assertSameTree(spec.at("/placement/replicaScheduling"), "{type: Divided}");
  }

  @Test
  void refusesEveryFieldItCannotHonourWithOneCauseEach() {
    assertThat(
            causes(
                """
                apiVersion: policy.karmada.io/v1alpha1
                kind: PropagationPolicy
                metadata: {name: p}
                spec:
                  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, nmae: web}]
                  preemption: Always
                  dependentOverrides: [op]
                  schedulerName: other
                  suspension: {dispatching: true}
                  activationPreference: Lazy
                  failover: {application: {decisionConditions: {tolerationSeconds: 60}}}
                  placement:
                    clusterAffinities:
                    - affinityName: primary
                      clusterNames: [a]
                      overflowAffinities: [{affinityName: more, clusterNames: [b]}]
                    clusterAffinity:
                      fieldSelector:
                        matchExpressions: [{key: region, operator: NotIn, values: [eu]}, {key: color, operator: In, values: [x]}]
                    spreadConstraints: [{spreadByLabel: tier}]
                    workloadAffinity: {affinity: {groupByLabelKey: app}}
                """))
        .containsExactlyInAnyOrder(
            "spec.resourceSelectors[0].nmae: unknown field \"nmae\" (not a Karmada field)",
            "spec.preemption: not supported yet: Always (preemption of templates claimed by a"
                + " lower-priority policy)",
            "spec.dependentOverrides: not supported yet: waiting for named OverridePolicies to exist",
            "spec.schedulerName: Meridian has one scheduler, the default one",
            "spec.suspension: not supported yet: suspended dispatching",
            "spec.activationPreference: not supported yet: Lazy activation",
            "spec.failover.application: not supported yet: application failover",
            "spec.placement.clusterAffinities[0].overflowAffinities: not supported yet: overflow"
                + " affinities",
            "spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].operator: not"
                + " supported yet: NotIn (only In: a location field lists what it allows)",
            "spec.placement.clusterAffinity.fieldSelector.matchExpressions[1].key: must be"
                + " provider, region or zone, not color",
            "spec.placement.spreadConstraints[0].spreadByLabel: not supported yet: spreading by a"
                + " cluster label",
            "spec.placement.workloadAffinity: not supported yet: workload affinity and"
                + " anti-affinity");
    assertThat(
            causes(
                """
                apiVersion: policy.karmada.io/v1alpha1
                kind: OverridePolicy
                metadata: {name: o}
                spec:
                  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
                  overrideRules:
                  - overriders:
                      commandOverrider: [{containerName: c, operator: add, value: [x]}]
                      fieldOverrider: [{fieldPath: /data/config, yaml: [{subPath: /a, operator: remove}]}]
                  targetCluster: {clusterNames: [a]}
                """))
        .containsExactlyInAnyOrder(
            "spec.overrideRules[0].overriders.commandOverrider: not supported yet: overriding"
                + " container commands (args are: argsOverrider)",
            "spec.overrideRules[0].overriders.fieldOverrider: not supported yet: overriding fields"
                + " inside embedded JSON or YAML documents",
            "spec.overriders: Karmada ignores targetCluster and overriders when overrideRules is"
                + " set: remove them or move them into overrideRules");
    assertThat(causes("{apiVersion: policy.karmada.io/v1alpha1, kind: ClusterOverridePolicy}"))
        .singleElement()
        .asString()
        .startsWith("kind: not a Karmada kind Meridian converts");
  }

  @Test
  void theDeprecatedSingleRuleBecomesARule() throws Exception {
    JsonNode spec =
        spec(
            yaml(
                """
                apiVersion: policy.karmada.io/v1alpha1
                kind: OverridePolicy
                metadata: {name: o, namespace: shop}
                spec:
                  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
                  targetCluster: {clusterNames: [member1]}
                  overriders:
                    argsOverrider: [{containerName: web, operator: add, value: [--verbose]}]
                """));
    assertSameTree(
        spec.path("overrideRules"),
        """
                - targetCluster: {names: [member1]}
                  overriders:
                    args: [{container: web, operator: add, value: [--verbose]}]
                """);
    List<FieldError> none =
        KarmadaPolicies.convert(yaml("{apiVersion: v1, kind: ConfigMap}")).errors();
    assertThat(none).hasSize(1);
  }
}
