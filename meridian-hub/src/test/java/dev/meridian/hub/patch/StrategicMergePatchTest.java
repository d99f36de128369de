package dev.meridian.hub.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.KubernetesOpenApi;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The strategic merge patch against Kubernetes' own results: each case of {@code smp-cases.json}
 * was recorded from kubectl of the pinned version applying the patch with Kubernetes' Go code (the
 * e2e test {@code StrategicMergePatchConformanceTest} records them and checks them again).
 */
class StrategicMergePatchTest {

  static Stream<JsonNode> cases() throws Exception {
    try (InputStream in = StrategicMergePatchTest.class.getResourceAsStream("smp-cases.json")) {
      List<JsonNode> out = new ArrayList<>();
      ResourceCodec.JSON.readTree(in).forEach(out::add);
      return out.stream();
    }
  }

  @ParameterizedTest(name = "{index}")
  @MethodSource("cases")
  void patchesAsKubernetesDoes(JsonNode c) {
    ObjectNode original = (ObjectNode) c.path("original");
    KubernetesOpenApi.Schema schema = schemaOf(original);
    JsonNode before = original.deepCopy();
    if (c.has("expected")) {
      assertThat(StrategicMergePatch.apply(original, c.path("patch"), schema))
          .as(c.path("name").asText())
          .isEqualTo(c.path("expected"));
    } else {
      assertThatThrownBy(() -> StrategicMergePatch.apply(original, c.path("patch"), schema))
          .as(c.path("name").asText() + ": Kubernetes says " + c.path("error").asText())
          .isInstanceOf(StrategicMergePatch.PatchException.class);
    }
    assertThat(original).as("the original is not changed").isEqualTo(before);
  }

  @Test
  void theCasesCoverEveryDirectiveAndRefusals() throws Exception {
    String all = ResourceCodec.JSON.writeValueAsString(cases().toList());
    assertThat(all)
        .contains(
            "\"$patch\":\"delete\"",
            "\"$patch\":\"replace\"",
            "$setElementOrder/",
            "$deleteFromPrimitiveList/",
            "$retainKeys");
    assertThat(cases().filter(c -> c.has("error")).count()).isGreaterThanOrEqualTo(5);
    assertThat(cases().filter(c -> c.has("expected")).count()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void aKeyThatLooksLikeADirectiveButIsNoneIsRefused() {
    ObjectNode cm =
        ResourceCodec.JSON.valueToTree(
            Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of()));
    KubernetesOpenApi.Schema schema = schemaOf(cm);
    assertThatThrownBy(
            () ->
                StrategicMergePatch.apply(
                    cm, ResourceCodec.JSON.valueToTree(Map.of("$frob", 1)), schema))
        .hasMessageContaining("unknown strategic merge patch directive \"$frob\"");
    assertThatThrownBy(
            () ->
                StrategicMergePatch.apply(
                    cm, ResourceCodec.JSON.valueToTree(Map.of("data", Map.of("$x", "1"))), schema))
        .hasMessageContaining("\"$x\" in data");
  }

  static KubernetesOpenApi.Schema schemaOf(ObjectNode o) {
    String[] gv = Meta.apiVersion(o).split("/", 2);
    return gv.length == 1
        ? KubernetesOpenApi.builtin().schema("", gv[0], Meta.kind(o)).orElseThrow()
        : KubernetesOpenApi.builtin().schema(gv[0], gv[1], Meta.kind(o)).orElseThrow();
  }
}
