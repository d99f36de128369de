package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code meridian describe} and {@code meridian delete} against a real hub. */
class DescribeDeleteTest {
  @RegisterExtension static final HubFixture hub = new HubFixture();

  @Test
  void describesAnObjectSectionBySection() throws Exception {
    // Given a deployment
    hub.run("apply", "-f", hub.write("ns.yaml", Manifests.namespace("describe")).toString());
    hub.run(
        "apply",
        "-f",
        hub.write("web.yaml", Manifests.deployment("describe", "web", 2)).toString());

    // When it is described
    CliResult result = hub.run("describe", "deploy", "web", "-n", "describe");

    // Then identity, metadata and the spec as YAML come out, aligned like kubectl's
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out())
        .startsWith(
            "Name:         web\n"
                + "Namespace:    describe\n"
                + "Labels:       app=web\n"
                + "Annotations:  <none>\n"
                + "API Version:  apps/v1\n"
                + "Kind:         Deployment\n"
                + "Metadata:\n"
                + "  Creation Timestamp:  ")
        .containsPattern("\n  Resource Version: +\\d+\n")
        .contains("\n  Finalizers: ")
        .contains("\nSpec:\n  replicas: 2\n")
        .contains("\n        - name: web\n          image: nginx:1.27\n");
  }

  @Test
  void deletesByNameAndSaysSoOnceGone() throws Exception {
    // Given a config map
    hub.run("apply", "-f", hub.write("gone.yaml", ApplyTest.configMap("gone", "x")).toString());

    // When it is deleted twice, the second time also with --ignore-not-found
    CliResult first = hub.run("delete", "cm", "gone");
    CliResult second = hub.run("delete", "configmap", "gone");
    CliResult ignored = hub.run("delete", "configmaps", "gone", "--ignore-not-found");

    // Then the first deletes it, the second fails with NotFound, the third is quiet
    assertThat(first.out()).as(first.toString()).isEqualTo("configmap/gone deleted\n");
    assertThat(hub.raw("/api/v1/namespaces/default/configmaps/gone")).isNull();
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.errLines()).singleElement().asString().startsWith("error: ").contains("gone");
    assertThat(ignored.exitCode()).isZero();
    assertThat(ignored.out() + ignored.err()).isEmpty();
  }

  @Test
  void deletesWhatAFileDescribes() throws Exception {
    // Given objects applied from a file
    Path file =
        hub.write(
            "bundle.yaml",
            ApplyTest.configMap("one", "1") + "---\n" + ApplyTest.configMap("two", "2"));
    hub.run("apply", "-f", file.toString());

    // When the file is deleted
    CliResult result = hub.run("delete", "-f", file.toString());

    // Then each object is deleted
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.outLines())
        .containsExactlyInAnyOrder("configmap/one deleted", "configmap/two deleted");
    assertThat(hub.raw("/api/v1/namespaces/default/configmaps/one")).isNull();
    assertThat(hub.raw("/api/v1/namespaces/default/configmaps/two")).isNull();
  }
}
