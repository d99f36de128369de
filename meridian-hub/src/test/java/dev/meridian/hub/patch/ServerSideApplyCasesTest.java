package dev.meridian.hub.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.KubernetesOpenApi;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.hub.ApiException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server-side apply cases recorded from kube-apiserver ({@code ssa-cases.json}, written and
 * checked by the e2e test {@code ServerSideApplyConformanceTest}), replayed through the hub's
 * implementation: after every step the same conflict in the same words, or the same field managers
 * with the same FieldsV1 and an object that holds what kube-apiserver's holds (which also has its
 * defaults).
 */
class ServerSideApplyCasesTest {
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void theHubAppliesAsKubeApiserverDid() throws Exception {
    JsonNode cases;
    try (InputStream in = getClass().getResourceAsStream("ssa-cases.json")) {
      cases = ResourceCodec.JSON.readTree(in);
    }
    assertThat(cases.size()).isGreaterThan(5);
    for (JsonNode c : cases) {
      ObjectNode live = null;
      int i = 0;
      for (JsonNode step : c.path("steps")) {
        String what = c.path("name").asText() + ", step " + i++;
        JsonNode expected = step.path("expected");
        assertThat(expected.isObject()).as(what + ": recorded").isTrue();
        ObjectNode result;
        KubernetesOpenApi.Schema schema = null;
        try {
          if (step.has("config")) {
            ObjectNode config = (ObjectNode) step.get("config").deepCopy();
            Meta.metadata(config).put("namespace", "default");
            schema = schemaOf(config);
            result =
                ServerSideApply.apply(
                    live,
                    config,
                    step.path("manager").asText(),
                    step.path("force").asBoolean(false),
                    Meta.apiVersion(config),
                    schema,
                    NOW);
          } else {
            schema = schemaOf(live);
            ObjectNode next = (ObjectNode) MergePatch.apply(live.deepCopy(), step.path("update"));
            result =
                ServerSideApply.update(
                    live, next, step.path("manager").asText(), Meta.apiVersion(live), schema, NOW);
          }
        } catch (ApiException e) {
          List<String> lines = new ArrayList<>();
          expected.path("error").forEach(l -> lines.add(l.asText()));
          assertThat(lines).as(what + ": kube-apiserver accepted it").isNotEmpty();
          assertThat(
                  List.of(
                      e.getMessage()
                          .replaceAll(" at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ", "")
                          .split("\n")))
              .as(what)
              .isEqualTo(lines);
          continue;
        }
        assertThat(expected.has("error"))
            .as(what + ": kube-apiserver refused it with " + expected.path("error"))
            .isFalse();
        assertThat(managers(result))
            .as(what + ": managed fields")
            .isEqualTo(expected.path("managedFields"));
        ObjectNode mine = result.deepCopy();
        Meta.metadata(mine).remove(List.of("managedFields", "namespace", "annotations"));
        List<String> differences = new ArrayList<>();
        subset(mine, expected.path("object"), "", differences);
        assertThat(differences).as(what + ": on the hub, not on kube-apiserver").isEmpty();
        live = result;
      }
    }
  }

  static KubernetesOpenApi.Schema schemaOf(ObjectNode o) {
    String[] gv = Meta.apiVersion(o).split("/", 2);
    return KubernetesOpenApi.builtin()
        .schema(gv.length == 1 ? "" : gv[0], gv.length == 1 ? gv[0] : gv[1], Meta.kind(o))
        .orElseThrow();
  }

  static ArrayNode managers(ObjectNode o) {
    List<ObjectNode> entries = new ArrayList<>();
    for (JsonNode e : o.path("metadata").path("managedFields")) {
      ObjectNode m = ResourceCodec.newObject();
      m.put("manager", e.path("manager").asText()).put("operation", e.path("operation").asText());
      m.set("fieldsV1", e.path("fieldsV1"));
      entries.add(m);
    }
    entries.sort(
        Comparator.comparing((ObjectNode m) -> m.path("manager").asText())
            .thenComparing(m -> m.path("operation").asText()));
    ArrayNode out = ResourceCodec.newArray();
    entries.forEach(out::add);
    return out;
  }

  /** Every field of {@code mine} is in {@code theirs} with the same value; lists equally long. */
  static void subset(JsonNode mine, JsonNode theirs, String path, List<String> out) {
    if (mine.isObject()) {
      mine.properties()
          .forEach(
              e -> {
                JsonNode t = theirs.get(e.getKey());
                if (t == null) {
                  out.add(path + "." + e.getKey());
                } else {
                  subset(e.getValue(), t, path + "." + e.getKey(), out);
                }
              });
    } else if (mine.isArray()) {
      if (!theirs.isArray() || theirs.size() != mine.size()) {
        out.add(path + " (" + mine + " vs " + theirs + ")");
        return;
      }
      for (int i = 0; i < mine.size(); i++) {
        subset(mine.get(i), theirs.get(i), path + "[" + i + "]", out);
      }
    } else if (!ResourceCodec.sameTree(mine, theirs)) {
      out.add(path + " (" + mine + " vs " + theirs + ")");
    }
  }
}
