package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code meridian diff -f} against a real hub. */
class DiffTest {
  @RegisterExtension static final HubFixture hub = new HubFixture();

  static String configMap(String name, String value) {
    return ApplyTest.configMap(name, value);
  }

  @Test
  void showsWhatApplyWouldChangeAndExitsAsKubectlDiff() throws Exception {
    // Given a ConfigMap on the hub
    Path file = hub.write("diff.yaml", configMap("diffed", "one"));
    assertThat(hub.run("apply", "-f", file.toString()).exitCode()).isZero();
    Object before = hub.raw("/api/v1/namespaces/default/configmaps/diffed");

    // When the same manifest is diffed, then a changed one, then a new object
    CliResult same = hub.run("diff", "-f", file.toString());
    hub.write("diff.yaml", configMap("diffed", "two"));
    CliResult changed = hub.run("diff", "-f", file.toString());
    Path fresh = hub.write("fresh.yaml", configMap("fresh", "new"));
    CliResult created = hub.run("diff", "-f", fresh.toString());

    // Then nothing to show is exit 0 and no output
    assertThat(same.exitCode()).as(same.toString()).isZero();
    assertThat(same.out()).isEmpty();
    // a change is a unified diff and exit 1
    assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(1);
    assertThat(changed.out())
        .contains("--- live/configmap/diffed")
        .contains("+++ merged/configmap/diffed")
        .containsPattern("(?m)^-  greeting: one$")
        .containsPattern("(?m)^\\+  greeting: two$");
    // a new object is all additions
    assertThat(created.exitCode()).isEqualTo(1);
    assertThat(created.out()).contains("--- /dev/null").containsPattern("(?m)^\\+  name: fresh$");
    // and nothing was stored
    assertThat(hub.raw("/api/v1/namespaces/default/configmaps/diffed")).isEqualTo(before);
    assertThat(hub.raw("/api/v1/namespaces/default/configmaps/fresh")).isNull();
  }

  @Test
  void aManifestTheHubRefusesIsAnErrorExit2() throws Exception {
    Path file =
        hub.write(
            "bad.yaml",
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: PropagationPolicy
            metadata: {name: bad, namespace: default}
            spec:
              resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
              failover: {gracePeriodSeconds: -5}
            """);
    CliResult r = hub.run("diff", "-f", file.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("error: ")
        .contains("gracePeriodSeconds");
  }
}
