package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.KubernetesOpenApi;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.app.Main;
import dev.meridian.hub.patch.StrategicMergePatch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strategic merge patch cases of the hub's unit suite ({@code smp-cases.json}) against
 * Kubernetes itself: kubectl of the pinned version applies each patch with its own Go code ({@code
 * kubectl patch --local}, the strategicpatch package kube-apiserver uses, without defaulting), and
 * what it prints must be what the file records and what the hub computes. With {@code
 * MERIDIAN_RECORD_SMP=1} the test writes kubectl's results into the file instead (for new cases).
 */
class StrategicMergePatchConformanceTest {
  static final Path CASES =
      Path.of("..", "meridian-hub", "src", "test", "resources", "dev", "meridian", "hub", "patch")
          .resolve("smp-cases.json");

  @TempDir Path dir;

  @Test
  void theHubPatchesAsKubernetesDoesAndTheRecordedCasesAreKubernetesOwn() throws Exception {
    ArrayNode cases = (ArrayNode) ResourceCodec.JSON.readTree(Files.readString(CASES));
    boolean record = "1".equals(System.getenv("MERIDIAN_RECORD_SMP"));
    Path kubectl = KubernetesBinaries.bin("kubectl");
    for (JsonNode c : cases) {
      String name = c.path("name").asText();
      ObjectNode original = (ObjectNode) c.path("original");
      Path file = dir.resolve("original.json");
      Files.writeString(file, original.toString());
      Main.Result r =
          E2e.kubectl(
              dir,
              kubectl,
              Path.of("/dev/null"),
              "patch",
              "--local",
              "-f",
              file.toString(),
              "--type",
              "strategic",
              "-p",
              c.path("patch").toString(),
              "-o",
              "json");
      JsonNode kube = r.code() == 0 ? ResourceCodec.JSON.readTree(r.out()) : null;
      String kubeError = r.code() == 0 ? null : r.err().lines().findFirst().orElse("error");
      if (record) {
        ObjectNode rec = (ObjectNode) c;
        rec.remove("expected");
        rec.remove("error");
        if (kube != null) {
          rec.set("expected", kube);
        } else {
          rec.put("error", kubeError);
        }
        continue;
      }
      // the file says what Kubernetes does
      if (kube != null) {
        assertThat(c.path("expected")).as(name + ": recorded").isEqualTo(kube);
      } else {
        assertThat(c.has("error")).as(name + ": recorded as refused (" + kubeError + ")").isTrue();
      }
      // and the hub does the same
      KubernetesOpenApi.Schema schema = schemaOf(original);
      if (kube != null) {
        assertThat(StrategicMergePatch.apply(original, c.path("patch"), schema))
            .as(name)
            .isEqualTo(kube);
      } else {
        assertThatThrownBy(() -> StrategicMergePatch.apply(original, c.path("patch"), schema))
            .as(name + ": Kubernetes refuses it with " + kubeError)
            .isInstanceOf(StrategicMergePatch.PatchException.class);
      }
    }
    if (record) {
      Files.writeString(
          CASES, ResourceCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cases));
    }
  }

  static KubernetesOpenApi.Schema schemaOf(ObjectNode o) {
    String[] gv = Meta.apiVersion(o).split("/", 2);
    String group = gv.length == 1 ? "" : gv[0];
    String version = gv.length == 1 ? gv[0] : gv[1];
    return KubernetesOpenApi.builtin().schema(group, version, Meta.kind(o)).orElseThrow();
  }
}
