package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meridian import karmada}: Karmada's policies converted offline; no hub. */
class ImportTest {
  private static final Map<String, String> ENV = Map.of();
  private static final Path SAMPLES =
      Path.of("..", "meridian-api", "src", "test", "resources", "karmada");

  @TempDir Path dir;

  @Test
  void convertsADirectoryOfKarmadaSamplesAndPassesTemplatesThrough() throws Exception {
    // Given: Karmada's nginx sample (deployment, propagation and override policies)
    for (String f :
        List.of(
            "nginx-deployment.yaml", "nginx-propagationpolicy.yaml", "nginx-overridepolicy.yaml")) {
      Files.copy(SAMPLES.resolve(f), dir.resolve(f));
    }
    // When
    CliResult r = Cli.run(ENV, "import", "karmada", "-f", dir.toString());
    // Then
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> kinds = new ArrayList<>();
    for (String doc : r.out().split("(?m)^---\\n")) {
      if (doc.isBlank()) {
        continue;
      }
      JsonNode o = ResourceCodec.YAML.readTree(doc);
      kinds.add(o.path("apiVersion").asText() + " " + o.path("kind").asText());
    }
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            "apps/v1 Deployment",
            "policy.meridian.dev/v1alpha1 PropagationPolicy",
            "policy.meridian.dev/v1alpha1 OverridePolicy");
    assertThat(r.out())
        .contains("meridian.dev/imported-from: policy.karmada.io/v1alpha1/PropagationPolicy")
        .contains("division: Weighted");
  }

  @Test
  void saysWhatCannotBeConvertedAndPrintsNothing() throws Exception {
    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
            apiVersion: policy.karmada.io/v1alpha1
            kind: PropagationPolicy
            metadata: {name: p}
            spec:
              resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
              placement: {workloadAffinity: {affinity: {groupByLabelKey: app}}}
            ---
            apiVersion: policy.karmada.io/v1alpha1
            kind: ClusterOverridePolicy
            metadata: {name: cop}
            """);
    CliResult r = Cli.run(ENV, "import", "karmada", "-f", bad.toString());
    CliResult other = Cli.run(ENV, "import", "fleet", "-f", bad.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines())
        .containsExactly(
            "error: "
                + bad
                + ": object 1 (PropagationPolicy p): spec.placement.workloadAffinity: not supported"
                + " yet: workload affinity and anti-affinity",
            "error: "
                + bad
                + ": object 2 (ClusterOverridePolicy cop): not supported yet (no Meridian"
                + " counterpart)");
    assertThat(other.exitCode()).isEqualTo(2);
    assertThat(other.err()).contains("can import karmada, not \"fleet\"");
  }
}
