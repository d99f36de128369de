package dev.meridian.hub.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.KubernetesOpenApi;
import dev.meridian.api.ResourceCodec;
import dev.meridian.hub.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Server-side apply on the Deployment schema of the pinned Kubernetes version; the e2e test {@code
 * KubectlVerbsHubVsKubeApiserverTest} runs the same verbs against kube-apiserver.
 */
class ServerSideApplyTest {
  static final KubernetesOpenApi.Schema DEPLOYMENT =
      KubernetesOpenApi.builtin().schema("apps", "v1", "Deployment").orElseThrow();
  static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
  static final Instant T2 = Instant.parse("2026-12-01T11:00:00Z");

  static ObjectNode yaml(String text) {
    return ResourceCodec.readObject(text.getBytes(StandardCharsets.UTF_8), true);
  }

  static String web(int replicas, String image, String env) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          replicas: %d
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: %s
                env: [%s]
        """
        .formatted(replicas, image, env);
  }

  static ObjectNode apply(ObjectNode live, String config, String manager, boolean force) {
    return ServerSideApply.apply(live, yaml(config), manager, force, "apps/v1", DEPLOYMENT, T1);
  }

  static List<String> managers(JsonNode o) {
    List<String> out = new ArrayList<>();
    o.path("metadata")
        .path("managedFields")
        .forEach(e -> out.add(e.path("manager").asText() + "/" + e.path("operation").asText()));
    return out;
  }

  @Test
  void writesFieldsV1AsKubernetesDoes() {
    ObjectNode created =
        apply(null, web(3, "nginx:1.27", "{name: A, value: '1'}"), "kubectl", false);
    JsonNode entry = created.at("/metadata/managedFields/0");
    assertThat(entry.path("manager").asText()).isEqualTo("kubectl");
    assertThat(entry.path("operation").asText()).isEqualTo("Apply");
    assertThat(entry.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(entry.path("time").asText()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
    // a struct is no member of its own, a list-map item is (.), the selector is atomic, the
    // labels map's keys are members
    assertThat(entry.path("fieldsV1"))
        .isEqualTo(
            yaml(
                """
                f:metadata: {f:labels: {f:app: {}}}
                f:spec:
                  f:replicas: {}
                  f:selector: {}
                  f:template:
                    f:metadata: {f:labels: {f:app: {}}}
                    f:spec:
                      f:containers:
                        k:{"name":"web"}:
                          .: {}
                          f:env:
                            k:{"name":"A"}: {.: {}, f:name: {}, f:value: {}}
                          f:image: {}
                          f:name: {}
                """));
  }

  @Test
  void aFieldAnotherManagerChangedIsAConflictUnlessForced() {
    ObjectNode live = apply(null, web(3, "nginx:1.27", ""), "kubectl", false);
    ObjectNode scaled = live.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 5);
    scaled = ServerSideApply.update(live, scaled, "kubectl-patch", "apps/v1", DEPLOYMENT, T2);
    assertThat(managers(scaled)).containsExactly("kubectl/Apply", "kubectl-patch/Update");
    ObjectNode before = scaled;
    // When: the same manager applies replicas 3 and a new image
    assertThatThrownBy(() -> apply(before, web(3, "nginx:1.28", ""), "kubectl", false))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(409);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Apply failed with 1 conflict: conflict with \"kubectl-patch\" using apps/v1"
                          + " at 2026-12-01T11:00:00Z: .spec.replicas");
              assertThat(e.causes())
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.field()).isEqualTo(".spec.replicas");
                        assertThat(c.reason().name()).isEqualTo("FieldManagerConflict");
                      });
            });
    // and, forced, takes it over: kubectl-patch owned nothing else and is gone
    ObjectNode forced = apply(before, web(3, "nginx:1.28", ""), "kubectl", true);
    assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(managers(forced)).containsExactly("kubectl/Apply");
    // and a value equal to the other manager's is no conflict: both own it
    ObjectNode shared = apply(before, web(5, "nginx:1.28", ""), "kubectl", false);
    assertThat(managers(shared)).containsExactly("kubectl/Apply", "kubectl-patch/Update");
  }

  @Test
  void whatAManagerNoLongerAppliesIsRemovedUnlessAnotherOwnsIt() {
    ObjectNode live =
        apply(
            null,
            web(3, "nginx:1.27", "{name: A, value: '1'}, {name: B, value: '2'}"),
            "kubectl",
            false);
    // another manager adds env C
    ObjectNode withC = live.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode)
            withC.at("/spec/template/spec/containers/0/env"))
        .addObject()
        .put("name", "C")
        .put("value", "3");
    withC = ServerSideApply.update(live, withC, "kubectl-edit", "apps/v1", DEPLOYMENT, T2);
    // When: kubectl applies without B
    ObjectNode next = apply(withC, web(3, "nginx:1.27", "{name: A, value: '1'}"), "kubectl", false);
    // Then: B is gone, C (kubectl-edit's) stays, in their order
    List<String> env = new ArrayList<>();
    next.at("/spec/template/spec/containers/0/env").forEach(e -> env.add(e.path("name").asText()));
    assertThat(env).containsExactly("A", "C");
  }

  @Test
  void listMapsMergeByKeyKeepingBothOrders() {
    ObjectNode live =
        apply(
            null, web(3, "nginx:1.27", "{name: A, value: '1'}, {name: B, value: '2'}"), "a", false);
    ObjectNode merged =
        apply(
            live, web(3, "nginx:1.27", "{name: X, value: '9'}, {name: B, value: '22'}"), "b", true);
    List<String> env = new ArrayList<>();
    merged
        .at("/spec/template/spec/containers/0/env")
        .forEach(e -> env.add(e.path("name").asText() + "=" + e.path("value").asText()));
    assertThat(env).containsExactly("A=1", "X=9", "B=22");
  }

  @Test
  void anUpdateTakesWhatItChangedFromTheOthers() {
    ObjectNode live = apply(null, web(3, "nginx:1.27", ""), "kubectl", false);
    ObjectNode edited = live.deepCopy();
    ((ObjectNode) edited.at("/spec/template/spec/containers/0")).put("image", "nginx:1.29");
    ObjectNode next =
        ServerSideApply.update(live, edited, "kubectl-edit", "apps/v1", DEPLOYMENT, T2);
    JsonNode entries = next.path("metadata").path("managedFields");
    assertThat(managers(next)).containsExactly("kubectl/Apply", "kubectl-edit/Update");
    assertThat(entries.get(1).path("fieldsV1").toString())
        .isEqualTo(
            "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{\"f:image\":{}}}}}}}");
    assertThat(entries.get(0).path("fieldsV1").toString()).doesNotContain("f:image");
    // and an update whose request sets managedFields takes them as written
    ObjectNode reset = next.deepCopy();
    ((ObjectNode) reset.get("metadata")).putArray("managedFields");
    ObjectNode kept = ServerSideApply.update(next, reset, "someone", "apps/v1", DEPLOYMENT, T2);
    assertThat(managers(kept)).containsExactly("kubectl/Apply", "kubectl-edit/Update");
  }

  @Test
  void kubectlsClientSideFieldsPassToItsServerSideApply() throws Exception {
    // Given: created by kubectl's client-side apply, with its record of what it applied
    String v1 = web(3, "nginx:1.27", "");
    ObjectNode created = yaml(v1);
    ((ObjectNode) created.get("metadata"))
        .putObject("annotations")
        .put(ServerSideApply.LAST_APPLIED, ResourceCodec.JSON.writeValueAsString(yaml(v1)));
    ObjectNode live =
        ServerSideApply.update(
            null, created, "kubectl-client-side-apply", "apps/v1", DEPLOYMENT, T1);
    // When: kubectl applies server-side a new image
    ObjectNode next = apply(live, web(3, "nginx:1.28", ""), "kubectl", false);
    // Then: no conflict with kubectl-client-side-apply, and kubectl's record follows
    assertThat(next.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.28");
    assertThat(next.at("/metadata/annotations").path(ServerSideApply.LAST_APPLIED).asText())
        .contains("nginx:1.28");
    // but another manager is not let through
    assertThatThrownBy(() -> apply(live, web(3, "nginx:1.28", ""), "helm", false))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("conflict with \"kubectl-client-side-apply\"");
  }

  @Test
  void fieldsV1ReadsBackWhatItWrites() throws Exception {
    JsonNode f =
        ResourceCodec.JSON.readTree(
            "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:ports\":"
                + "{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:port\":{}}}}}");
    FieldSet s = FieldSet.fromFieldsV1(f);
    assertThat(s.toFieldsV1()).isEqualTo(f);
    assertThat(
            FieldSet.describe(
                List.of("f:spec", "f:ports", "k:{\"port\":80,\"protocol\":\"TCP\"}", "f:port")))
        .isEqualTo(".spec.ports[port=80,protocol=\"TCP\"].port");
    assertThatThrownBy(() -> FieldSet.fromFieldsV1(ResourceCodec.JSON.readTree("{\"x:y\":{}}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
