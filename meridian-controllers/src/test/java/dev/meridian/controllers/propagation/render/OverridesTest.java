package dev.meridian.controllers.propagation.render;

import static dev.meridian.controllers.propagation.render.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Applying OverridePolicies to a rendered manifest. */
class OverridesTest {
  static final ClusterFacts EU_WEST_1 =
      new ClusterFacts("eu-west-1", Map.of("ring", "prod"), "eu-west", "eu-west-1a", "DE", "aws");
  static final ClusterFacts US_EAST_1 =
      new ClusterFacts("us-east-1", Map.of("ring", "prod"), "us-east", "us-east-1a", "US", "aws");

  final ObjectNode manifest = MemberManifest.render(Fixtures.deployment(), "shop", "web", 3);

  /** An OverridePolicy for the web Deployment with the given rules (YAML flow or block). */
  static ObjectNode policy(String name, String rules) {
    ObjectNode p =
        yaml(
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: OverridePolicy
            metadata: {name: %s, namespace: shop}
            spec:
              resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
            """
                .formatted(name));
    ((ObjectNode) p.get("spec"))
        .set("overrideRules", yaml("rules:\n" + rules.indent(2)).get("rules"));
    return p;
  }

  static Overrides.Result apply(ObjectNode manifest, ClusterFacts cluster, ObjectNode... policies) {
    return Overrides.apply(manifest, List.of(policies), cluster);
  }

  static List<String> images(JsonNode obj, String podSpecPointer) {
    List<String> out = new ArrayList<>();
    obj.at(podSpecPointer + "/initContainers").forEach(c -> out.add(c.path("image").asText()));
    obj.at(podSpecPointer + "/containers").forEach(c -> out.add(c.path("image").asText()));
    return out;
  }

  @Test
  void replacesTheRegistryOfEveryImageWritingOutDockerHubsLibraryOnlyWhereNeeded() {
    // Given
    ObjectNode mirror =
        policy(
            "eu-mirror",
            "[{overriders: {imageOverrider: [{component: Registry, operator: replace, value: mirror.eu.example.com}]}}]");
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, mirror);
    // Then
    assertThat(r.errors()).isEmpty();
    assertThat(images(r.manifest(), "/spec/template/spec"))
        .containsExactly(
            "mirror.eu.example.com/shop/migrate:2.4.0",
            "mirror.eu.example.com/library/nginx:1.27",
            "mirror.eu.example.com/prometheus/statsd-exporter:v0.26.0");
    assertThat(r.applied()).containsExactly("eu-mirror rule 0: imageOverrider[0]");
  }

  @Test
  void changesATagWithoutRewritingTheRestOfTheImage() {
    // Given
    ObjectNode pin =
        policy(
            "pin",
            """
            - overriders:
                imageOverrider:
                - {component: Tag, operator: replace, value: 1.27.3-alpine, predicate: {path: /spec/template/spec/containers/0/image}}
                - {component: Repository, operator: add, value: -fips, predicate: {path: /spec/template/spec/containers/1/image}}
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, pin);
    // Then
    assertThat(r.errors()).isEmpty();
    assertThat(images(r.manifest(), "/spec/template/spec"))
        .containsExactly(
            "registry.example.com/shop/migrate:2.4.0",
            "nginx:1.27.3-alpine",
            "quay.io/prometheus/statsd-exporter-fips:v0.26.0");
  }

  @Test
  void pinsAnImageToADigestDroppingItsTag() {
    // Given
    String digest = "sha256:" + "a".repeat(64);
    ObjectNode pin =
        policy(
            "pin",
            "[{overriders: {imageOverrider: [{component: Tag, operator: replace, value: '%s', predicate: {path: /spec/template/spec/containers/0/image}}]}}]"
                .formatted(digest));
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, pin);
    // Then
    assertThat(r.manifest().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("nginx@" + digest);
  }

  @Test
  void reachesTheJobTemplateOfACronJob() {
    // Given
    ObjectNode cronJob =
        MemberManifest.render(
            yaml(
                """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: report, namespace: shop}
                spec:
                  schedule: "0 3 * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers:
                          - {name: report, image: "ghcr.io/acme/report:5", args: [--since=24h]}
                """),
            "shop",
            "report",
            null);
    ObjectNode policy =
        yaml(
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: OverridePolicy
            metadata: {name: eu, namespace: shop}
            spec:
              resourceSelectors: [{apiVersion: batch/v1, kind: CronJob}]
              overrideRules:
              - overriders:
                  imageOverrider: [{component: Registry, operator: replace, value: mirror.eu.example.com}]
                  env: [{name: TZ, value: Europe/Berlin}]
                  args: [{operator: add, value: [--region=eu]}]
            """);
    // When
    Overrides.Result r = Overrides.apply(cronJob, List.of(policy), EU_WEST_1);
    // Then
    JsonNode container = r.manifest().at("/spec/jobTemplate/spec/template/spec/containers/0");
    assertThat(r.errors()).isEmpty();
    assertThat(container.path("image").asText()).isEqualTo("mirror.eu.example.com/acme/report:5");
    assertThat(container.path("env").toString())
        .isEqualTo("[{\"name\":\"TZ\",\"value\":\"Europe/Berlin\"}]");
    assertThat(container.path("args").toString()).isEqualTo("[\"--since=24h\",\"--region=eu\"]");
  }

  @Test
  void setsReplicasAndReportsAKindWithoutThem() {
    // Given
    ObjectNode configMap =
        MemberManifest.render(
            yaml(
                "{apiVersion: v1, kind: ConfigMap, metadata: {name: web-config, namespace: shop}}"),
            "shop",
            "web-config",
            null);
    ObjectNode scaleDown =
        yaml(
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: OverridePolicy
            metadata: {name: small, namespace: shop}
            spec:
              resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}, {apiVersion: v1, kind: ConfigMap}]
              overrideRules: [{overriders: {replicas: 1}}]
            """);
    // When
    Overrides.Result deployment = Overrides.apply(manifest, List.of(scaleDown), EU_WEST_1);
    Overrides.Result config = Overrides.apply(configMap, List.of(scaleDown), EU_WEST_1);
    // Then
    assertThat(deployment.manifest().at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(config.errors())
        .containsExactly("small rule 0: replicas: ConfigMap has no replicas");
    assertThat(config.manifest()).isEqualTo(configMap);
  }

  @Test
  void setsReplacesAndRemovesEnvironmentVariables() {
    // Given
    ObjectNode env =
        policy(
            "env",
            """
            - overriders:
                env:
                - {container: web, name: REGION, value: eu-west}
                - {container: web, name: LOG_LEVEL, value: debug, operator: replace}
                - {container: web, name: DB_PASSWORD, value: from-override, operator: replace}
                - {container: web, name: FEATURE_FLAGS, operator: remove}
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, env);
    // Then
    assertThat(r.errors()).isEmpty();
    assertThat(r.manifest().at("/spec/template/spec/containers/0/env").toString())
        .isEqualTo(
            "[{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"},"
                + "{\"name\":\"DB_PASSWORD\",\"value\":\"from-override\"},"
                + "{\"name\":\"REGION\",\"value\":\"eu-west\"}]");
    assertThat(r.manifest().at("/spec/template/spec/containers/1/env").isMissingNode())
        .as("the metrics container is not named")
        .isTrue();
  }

  @Test
  void anEnvWithoutContainerReachesEveryContainerAndInitContainer() {
    // Given
    ObjectNode env =
        policy("env", "[{overriders: {env: [{name: HTTP_PROXY, value: 'http://proxy:3128'}]}}]");
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, env);
    // Then
    JsonNode spec = r.manifest().at("/spec/template/spec");
    for (JsonNode c :
        List.of(spec.at("/initContainers/0"), spec.at("/containers/0"), spec.at("/containers/1"))) {
      assertThat(c.path("env").toString())
          .contains("{\"name\":\"HTTP_PROXY\",\"value\":\"http://proxy:3128\"}");
    }
  }

  @Test
  void reportsAnEnvForAMissingContainerOrAReplaceOfAMissingVariable() {
    // Given
    ObjectNode env =
        policy(
            "env",
            """
            - overriders:
                env:
                - {container: sidecar, name: A, value: "1"}
                - {container: web, name: NOT_THERE, value: "1", operator: replace}
                - {container: web, name: B, value: "2"}
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, env);
    // Then
    assertThat(r.errors())
        .containsExactly(
            "env rule 0: env[0]: no container named sidecar",
            "env rule 0: env[1]: no selected container has an env variable NOT_THERE");
    assertThat(r.applied()).containsExactly("env rule 0: env[2]");
  }

  @Test
  void addsRemovesAndReplacesArguments() {
    // Given
    ObjectNode args =
        policy(
            "args",
            """
            - overriders:
                args:
                - {container: web, operator: remove, value: [--log-format=json]}
                - {container: web, operator: add, value: [--region=eu-west, --gzip]}
                - {container: metrics, operator: replace, value: [--statsd.listen-udp=:9125]}
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, args);
    // Then
    assertThat(r.manifest().at("/spec/template/spec/containers/0/args").toString())
        .isEqualTo("[\"--port=8080\",\"--region=eu-west\",\"--gzip\"]");
    assertThat(r.manifest().at("/spec/template/spec/containers/1/args").toString())
        .isEqualTo("[\"--statsd.listen-udp=:9125\"]");
  }

  @Test
  void addsReplacesAndRemovesLabelsAndAnnotationsOfTheObject() {
    // Given
    ObjectNode meta =
        policy(
            "meta",
            """
            - overriders:
                labels:
                - {operator: add, value: {region: eu-west}}
                - {operator: replace, value: {tier: edge, absent: ignored}}
                - {operator: remove, value: {app: ""}}
                annotations:
                - {operator: remove, value: {prometheus.io/scrape: ""}}
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, meta);
    // Then
    assertThat(r.errors()).isEmpty();
    assertThat(Meta.labels(r.manifest()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("tier", "edge", "region", "eu-west", MemberManifest.MANAGED_LABEL, "true"));
    assertThat(r.manifest().at("/metadata/annotations").has("prometheus.io/scrape")).isFalse();
    assertThat(r.manifest().at("/spec/template/metadata/labels/app").asText())
        .as("the pod template's labels are not the object's")
        .isEqualTo("web");
  }

  @Test
  void appliesJsonPatchOperationsWithEscapedPointers() {
    // Given
    ObjectNode patch =
        policy(
            "patch",
            """
            - overriders:
                plaintext:
                - {op: add, path: /spec/template/spec/nodeSelector, value: {topology.kubernetes.io/zone: eu-west-1a}}
                - {op: replace, path: /metadata/annotations/prometheus.io~1scrape, value: "false"}
                - {op: add, path: /spec/template/spec/tolerations, value: []}
                - {op: add, path: /spec/template/spec/tolerations/-, value: {key: spot, operator: Exists}}
                - {op: copy, from: /spec/template/spec/containers/0/resources/limits, path: /spec/template/spec/containers/0/resources/requests}
                - {op: move, from: /metadata/annotations/team, path: /metadata/annotations/owner}
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, patch);
    // Then
    JsonNode out = r.manifest();
    assertThat(r.errors()).isEmpty();
    assertThat(r.applied()).hasSize(6);
    assertThat(out.at("/spec/template/spec/nodeSelector/topology.kubernetes.io~1zone").asText())
        .isEqualTo("eu-west-1a");
    assertThat(out.at("/metadata/annotations/prometheus.io~1scrape").asText()).isEqualTo("false");
    assertThat(out.at("/spec/template/spec/tolerations").toString())
        .isEqualTo("[{\"key\":\"spot\",\"operator\":\"Exists\"}]");
    assertThat(out.at("/spec/template/spec/containers/0/resources/requests/cpu").asText())
        .isEqualTo("500m");
    assertThat(out.at("/metadata/annotations/owner").asText()).isEqualTo("storefront");
    assertThat(out.at("/metadata/annotations").has("team")).isFalse();
  }

  @Test
  void aFailedPatchOperationIsRecordedLeavesTheManifestAsBeforeItAndStopsItsList() {
    // Given
    ObjectNode patch =
        policy(
            "patch",
            """
            - overriders:
                plaintext:
                - {op: add, path: /metadata/annotations/stage, value: one}
                - {op: remove, path: /spec/template/spec/hostNetwork}
                - {op: add, path: /metadata/annotations/stage, value: three}
            - overriders:
                plaintext:
                - {op: replace, path: /spec/template/spec/containers/5/image, value: x}
                - {op: replace, path: /spec/replicas, value: 9}
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, patch);
    // Then
    assertThat(r.errors())
        .containsExactly(
            "patch rule 0: plaintext[1]: no value at /spec/template/spec/hostNetwork",
            "patch rule 0: plaintext[2..2] skipped after the failed operation",
            "patch rule 1: plaintext[0]: no list index 5 at /spec/template/spec/containers/5/image",
            "patch rule 1: plaintext[1..1] skipped after the failed operation");
    assertThat(r.applied()).containsExactly("patch rule 0: plaintext[0]");
    ObjectNode expected = manifest.deepCopy();
    ((ObjectNode) expected.at("/metadata/annotations")).put("stage", "one");
    assertThat(r.manifest()).isEqualTo(expected);
  }

  @Test
  void aFailedTestOperationGuardsTheOperationsAfterIt() {
    // Given
    ObjectNode guarded =
        policy(
            "guarded",
            """
            - overriders:
                plaintext:
                - {op: test, path: /spec/template/spec/containers/0/image, value: "nginx:1.25"}
                - {op: replace, path: /spec/template/spec/containers/0/image, value: "nginx:1.25.5"}
            - overriders:
                plaintext:
                - {op: test, path: /spec/replicas, value: 3.0}
                - {op: add, path: /metadata/labels/checked, value: "yes"}
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, guarded);
    // Then
    assertThat(r.manifest().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("nginx:1.27");
    assertThat(r.errors().get(0)).startsWith("guarded rule 0: plaintext[0]: test failed");
    assertThat(r.manifest().at("/metadata/labels/checked").asText())
        .as("a test compares numbers by value")
        .isEqualTo("yes");
  }

  @Test
  void appliesPoliciesByNameRulesInOrderAndPlaintextAfterTheStructuredOverriders() {
    // Given: given out of order; each records itself in the same annotation
    ObjectNode b =
        policy(
            "b-team",
            """
            - overriders:
                plaintext: [{op: test, path: /metadata/annotations/order, value: "a-first,a-second"}]
                annotations: [{operator: add, value: {order: "b"}}]
            """);
    ObjectNode a =
        policy(
            "a-platform",
            """
            - overriders: {annotations: [{operator: add, value: {order: "a-first"}}]}
            - overriders:
                plaintext: [{op: replace, path: /metadata/annotations/order, value: "a-first,a-second"}]
                annotations: [{operator: add, value: {order: "overwritten by the plaintext"}}]
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, b, a);
    // Then
    assertThat(r.applied())
        .containsExactly(
            "a-platform rule 0: annotations[0]",
            "a-platform rule 1: annotations[0]",
            "a-platform rule 1: plaintext[0]",
            "b-team rule 0: annotations[0]");
    assertThat(r.errors())
        .as("b's test ran after its own annotations overrider")
        .containsExactly(
            "b-team rule 0: plaintext[0]: test failed: /metadata/annotations/order is not \"a-first,a-second\"");
    assertThat(r.manifest().at("/metadata/annotations/order").asText()).isEqualTo("b");
  }

  @Test
  void appliesOnlyRulesThatTargetTheClusterAndOnlyPoliciesThatSelectTheManifest() {
    // Given
    ObjectNode regional =
        policy(
            "regional",
            """
            - targetCluster: {locations: {countries: [DE]}}
              overriders: {labels: [{operator: add, value: {region: eu}}]}
            - targetCluster: {locations: {countries: [US]}}
              overriders: {labels: [{operator: add, value: {region: us}}]}
            """);
    ObjectNode forApi = policy("api", "[{overriders: {replicas: 0}}]");
    ((ObjectNode) forApi.at("/spec/resourceSelectors/0")).put("name", "api");
    // When
    Overrides.Result eu = apply(manifest, EU_WEST_1, regional, forApi);
    Overrides.Result us = apply(manifest, US_EAST_1, regional, forApi);
    // Then
    assertThat(eu.manifest().at("/metadata/labels/region").asText()).isEqualTo("eu");
    assertThat(us.manifest().at("/metadata/labels/region").asText()).isEqualTo("us");
    assertThat(eu.manifest().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(eu.applied()).containsExactly("regional rule 0: labels[0]");
  }

  @Test
  void mayNotChangeTheObjectsIdentityNorRemoveMeridiansMarks() {
    // Given
    ObjectNode hostile =
        policy(
            "hostile",
            """
            - overriders:
                labels: [{operator: remove, value: {meridian.dev/managed: ""}}]
                plaintext: [{op: replace, path: /metadata/name, value: other}]
            - overriders:
                plaintext:
                - {op: replace, path: "", value: {apiVersion: v1, kind: ConfigMap, metadata: {name: web}}}
            """);
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, hostile);
    // Then
    assertThat(r.errors()).hasSize(3).allMatch(e -> e.contains("may not change apiVersion, kind"));
    assertThat(r.manifest()).isEqualTo(manifest);
  }

  @Test
  void neverThrowsOnMalformedPoliciesAndNeverChangesItsInput() {
    // Given
    ObjectNode before = manifest.deepCopy();
    ObjectNode malformed =
        policy(
            "malformed",
            """
            - overriders:
                imageOverrider: [{component: Digest, operator: replace, value: x}, {component: Tag, operator: add}, "text"]
                replicas: many
                env: [{}, {name: A, operator: upsert}]
                args: [{operator: add, value: --flag}]
                labels: [{operator: add, value: [a, b]}]
                annotations: {operator: add}
                plaintext: [{op: bogus, path: /spec}, {op: add, path: spec}]
            - overriders: "nothing"
            - "not a rule"
            """);
    ObjectNode mangled = policy("mangled", "{not: a list}");
    // When
    Overrides.Result r = apply(manifest, EU_WEST_1, mangled, malformed);
    // Then
    assertThat(r.applied()).isEmpty();
    assertThat(r.errors())
        .containsExactly(
            "malformed rule 0: imageOverrider[0]: component must be Registry, Repository or Tag",
            "malformed rule 0: imageOverrider[1]: add needs a value",
            "malformed rule 0: imageOverrider[2]: component must be Registry, Repository or Tag",
            "malformed rule 0: replicas: replicas must be a whole number, 0 or more",
            "malformed rule 0: env[0]: env needs a name",
            "malformed rule 0: env[1]: operator must be add, remove or replace",
            "malformed rule 0: args[0]: args value must be a list",
            "malformed rule 0: labels[0]: labels value must be a map",
            "malformed rule 0: annotations must be a list",
            "malformed rule 0: plaintext[0]: unknown op \"bogus\"",
            "malformed rule 0: plaintext[1..1] skipped after the failed operation",
            "malformed rule 1: overriders must be an object",
            "malformed rule 2: overriders must be an object",
            "mangled: overrideRules must be a list");
    assertThat(r.manifest()).isEqualTo(before);
    assertThat(manifest).isEqualTo(before);
  }

  @Test
  void anImageOverriderReportsAnImageItCannotReadAPathToNothingOrAKindWithoutPodTemplate() {
    // Given
    ObjectNode service =
        MemberManifest.render(
            yaml(
                "{apiVersion: v1, kind: Service, metadata: {name: web, namespace: shop}, spec: {ports: [{port: 80}]}}"),
            "shop",
            "web",
            null);
    ObjectNode policy =
        yaml(
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: OverridePolicy
            metadata: {name: img, namespace: shop}
            spec:
              resourceSelectors: [{apiVersion: v1, kind: Service}, {apiVersion: apps/v1, kind: Deployment}]
              overrideRules:
              - overriders:
                  plaintext: [{op: replace, path: /spec/template/spec/initContainers/0/image, value: "registry.example.com/shop/migrate 2"}]
              - overriders:
                  imageOverrider:
                  - {component: Registry, operator: remove}
                  - {component: Tag, operator: replace, value: v2, predicate: {path: /spec/replicas}}
                  - {component: Tag, operator: replace, value: v2, predicate: {path: /spec/template/spec/containers/9/image}}
            """);
    // When
    Overrides.Result onService = Overrides.apply(service, List.of(policy), EU_WEST_1);
    Overrides.Result onDeployment = Overrides.apply(manifest, List.of(policy), EU_WEST_1);
    // Then
    assertThat(onService.errors())
        .contains(
            "img rule 1: imageOverrider[0]: Service has no pod template; use a plaintext patch"
                + " instead");
    assertThat(onDeployment.errors())
        .containsExactly(
            "img rule 1: imageOverrider[0]: \"registry.example.com/shop/migrate 2\" is not a"
                + " container image reference",
            "img rule 1: imageOverrider[1]: /spec/replicas is not an image",
            "img rule 1: imageOverrider[2]: no list index 9 at /spec/template/spec/containers/9/image");
    assertThat(images(onDeployment.manifest(), "/spec/template/spec"))
        .as("the init container's unreadable image keeps the whole item from applying")
        .containsExactly(
            "registry.example.com/shop/migrate 2",
            "nginx:1.27",
            "quay.io/prometheus/statsd-exporter:v0.26.0");
  }
}
