package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.app.Main;
import dev.meridian.members.RealClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-side apply cases of the hub's unit suite ({@code ssa-cases.json}) against a
 * kube-apiserver of the pinned version: each step (an apply by a field manager, forced or not, or a
 * merge-patch update) is run with kubectl, and what kube-apiserver answers (the conflict, or the
 * object and its managed fields) must be what the file records; {@code ServerSideApplyCasesTest}
 * checks the hub against the same records. With {@code MERIDIAN_RECORD_SSA=1} the test writes
 * kube-apiserver's answers into the file instead (for new cases).
 */
class ServerSideApplyConformanceTest {
  static final Path CASES =
      Path.of("..", "meridian-hub", "src", "test", "resources", "dev", "meridian", "hub", "patch")
          .resolve("ssa-cases.json");

  @TempDir Path dir;

  @Test
  void theRecordedCasesAreKubeApiserversOwn() throws Exception {
    ArrayNode cases = (ArrayNode) ResourceCodec.JSON.readTree(Files.readString(CASES));
    boolean record = "1".equals(System.getenv("MERIDIAN_RECORD_SSA"));
    try (RealClusters real = RealClusters.start(1)) {
      Path config = real.get(0).kubeconfig();
      for (JsonNode c : cases) {
        String name = c.path("name").asText();
        String kind = null;
        String object = null;
        int i = 0;
        for (JsonNode step : c.path("steps")) {
          String what = name + ", step " + i++;
          List<String> args = new ArrayList<>();
          if (step.has("config")) {
            ObjectNode cfg = (ObjectNode) step.get("config").deepCopy();
            Meta.metadata(cfg).put("namespace", "default");
            kind = Meta.kind(cfg);
            object = Meta.name(cfg);
            Path f = dir.resolve("config.json");
            Files.writeString(f, cfg.toString());
            args.addAll(
                List.of(
                    "apply",
                    "--server-side",
                    "--field-manager=" + step.path("manager").asText(),
                    "-f",
                    f.toString()));
            if (step.path("force").asBoolean(false)) {
              args.add("--force-conflicts");
            }
          } else {
            args.addAll(
                List.of(
                    "patch",
                    kind,
                    object,
                    "-n",
                    "default",
                    "--type=merge",
                    "--field-manager=" + step.path("manager").asText(),
                    "-p",
                    step.path("update").toString()));
          }
          Main.Result r = E2e.kubectl(dir, real.kubectl(), config, args.toArray(String[]::new));
          ObjectNode answer = ResourceCodec.newObject();
          if (r.code() != 0) {
            ArrayNode lines = answer.putArray("error");
            E2e.conflictLines(r.err()).forEach(lines::add);
          } else {
            Main.Result got =
                E2e.kubectl(
                    dir,
                    real.kubectl(),
                    config,
                    "get",
                    kind,
                    object,
                    "-n",
                    "default",
                    "-o",
                    "json",
                    "--show-managed-fields");
            ObjectNode live = (ObjectNode) ResourceCodec.JSON.readTree(got.out());
            answer.set("managedFields", managers(live));
            answer.set("object", comparable(live));
          }
          if (record) {
            ((ObjectNode) step).set("expected", answer);
          } else {
            assertThat(step.path("expected")).as(what + ": recorded").isEqualTo(answer);
          }
        }
      }
    }
    if (record) {
      Files.writeString(
          CASES, ResourceCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cases));
    }
  }

  /**
   * The managed fields without their times, by manager and operation (kube-apiserver orders them by
   * time in seconds, which depends on how fast the steps ran).
   */
  static ArrayNode managers(ObjectNode live) {
    List<ObjectNode> entries = new ArrayList<>();
    for (JsonNode e : live.path("metadata").path("managedFields")) {
      ObjectNode m = ResourceCodec.newObject();
      m.put("manager", e.path("manager").asText()).put("operation", e.path("operation").asText());
      m.set("fieldsV1", e.path("fieldsV1"));
      entries.add(m);
    }
    entries.sort(
        java.util.Comparator.comparing((ObjectNode m) -> m.path("manager").asText())
            .thenComparing(m -> m.path("operation").asText()));
    ArrayNode out = ResourceCodec.newArray();
    entries.forEach(out::add);
    return out;
  }

  /** The object without status, the server's metadata and the managed fields. */
  static ObjectNode comparable(ObjectNode live) {
    ObjectNode o = live.deepCopy();
    o.remove("status");
    ObjectNode meta = Meta.metadata(o);
    meta.remove(
        List.of(
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "generation",
            "managedFields",
            "namespace",
            "annotations"));
    return o;
  }
}
