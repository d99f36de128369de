package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code meridian apply} against a real hub. */
class ApplyTest {
  @RegisterExtension static final HubFixture hub = new HubFixture();

  static String configMap(String name, String value) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s
        data:
          greeting: %s
        """
        .formatted(name, value);
  }

  @Test
  void createsThenConfiguresThenLeavesUnchanged() throws Exception {
    // Given a manifest of an object the hub does not have
    Path file = hub.write("cfg.yaml", configMap("cfg", "hello"));

    // When it is applied three times, changing it before the second
    CliResult created = hub.run("apply", "-f", file.toString());
    hub.write("cfg.yaml", configMap("cfg", "bonjour"));
    CliResult configured = hub.run("apply", "-f", file.toString());
    CliResult unchanged = hub.run("apply", "-f", file.toString());

    // Then the first creates it, the second updates it, the third sends nothing
    assertThat(created.out()).as(created.toString()).isEqualTo("configmap/cfg created\n");
    assertThat(configured.out()).as(configured.toString()).isEqualTo("configmap/cfg configured\n");
    assertThat(unchanged.out()).as(unchanged.toString()).isEqualTo("configmap/cfg unchanged\n");
    assertThat(created.exitCode() + configured.exitCode() + unchanged.exitCode()).isZero();
    JsonNode live = hub.raw("/api/v1/namespaces/default/configmaps/cfg");
    assertThat(live.path("data").path("greeting").asText()).isEqualTo("bonjour");
    String rv = live.path("metadata").path("resourceVersion").asText();
    hub.run("apply", "-f", file.toString());
    assertThat(
            hub.raw("/api/v1/namespaces/default/configmaps/cfg")
                .path("metadata")
                .path("resourceVersion")
                .asText())
        .as("an unchanged apply writes nothing")
        .isEqualTo(rv);
  }

  @Test
  void appliesADirectoryWithANamespaceAfterTheObjectsInIt() throws Exception {
    // Given a directory whose files sort the Deployment before the Namespace it goes in
    Path dir =
        hub.write("dir/a-deployment.yaml", Manifests.deployment("shop", "web", 2)).getParent();
    hub.write("dir/b-cluster.yml", Manifests.simulatedCluster("eu-west-1", "eu-west", "DE"));
    hub.write(
        "dir/c-namespace.json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
    hub.write("dir/notes.txt", "not a manifest");

    // When the directory is applied
    CliResult result = hub.run("apply", "-f", dir.toString());

    // Then the namespace is created first and every object lands
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.outLines())
        .containsExactly(
            "namespace/shop created",
            "deployment.apps/web created",
            "cluster.fleet.meridian.dev/eu-west-1 created");
    assertThat(hub.raw("/apis/apps/v1/namespaces/shop/deployments/web")).isNotNull();
    assertThat(hub.raw("/apis/fleet.meridian.dev/v1alpha1/clusters/eu-west-1")).isNotNull();
  }

  @Test
  void readsStandardInputAndDefaultsTheNamespaceFromTheFlag() throws Exception {
    // Given a namespace and a manifest without one, on stdin
    hub.run("apply", "-f", hub.write("ns-stdin.yaml", Manifests.namespace("stdin-ns")).toString());

    // When it is applied with -n
    CliResult result =
        hub.runWithStdin(configMap("from-stdin", "hi"), "apply", "-f", "-", "-n", "stdin-ns");

    // Then it is created in that namespace
    assertThat(result.out()).as(result.toString()).isEqualTo("configmap/from-stdin created\n");
    assertThat(hub.raw("/api/v1/namespaces/stdin-ns/configmaps/from-stdin")).isNotNull();
  }

  @Test
  void reportsARejectedObjectAndStillAppliesTheRest() throws Exception {
    // Given a file whose first object goes in a namespace that does not exist
    Path file =
        hub.write(
            "partly-bad.yaml",
            configMap("lost", "x").replace("name: lost", "name: lost\n  namespace: nowhere")
                + "---\n"
                + configMap("kept", "y"));

    // When it is applied
    CliResult result = hub.run("apply", "-f", file.toString());

    // Then the rejection is one error line, the other object is created, and the exit code is 1
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.errLines().get(0)).startsWith("error: ").contains("nowhere");
    assertThat(result.out()).isEqualTo("configmap/kept created\n");
    assertThat(hub.raw("/api/v1/namespaces/default/configmaps/kept")).isNotNull();
  }

  @Test
  void dryRunChangesNothing() throws Exception {
    // Given a manifest of a new object
    Path file = hub.write("dry.yaml", configMap("dry", "x"));

    // When it is applied with --dry-run
    CliResult result = hub.run("apply", "--dry-run", "-f", file.toString());

    // Then it says what it would do and the hub does not have it
    assertThat(result.out()).as(result.toString()).isEqualTo("configmap/dry created (dry run)\n");
    assertThat(hub.raw("/api/v1/namespaces/default/configmaps/dry")).isNull();
  }

  @Test
  void dryRunReportsWhatTheHubWouldRefuseAndStoresNothing() throws Exception {
    // Given a policy the hub refuses (a negative failover toleration) and a namespace with an
    // object in it, neither on the hub yet
    Path file =
        hub.write(
            "dry2.yaml",
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: PropagationPolicy
            metadata: {name: bad, namespace: default}
            spec:
              resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
              failover: {tolerationSeconds: -1}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: dry-ns}
            ---
            """
                + configMap("in-new-ns", "x")
                    .replace("name: in-new-ns", "name: in-new-ns\n  namespace: dry-ns"));

    // When it is applied with --dry-run
    CliResult result = hub.run("apply", "--dry-run", "-f", file.toString());

    // Then the refusal is reported as a real apply would report it, the rest would be created
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.errLines()).singleElement().asString().contains("tolerationSeconds");
    assertThat(result.out())
        .contains("namespace/dry-ns created (dry run)")
        .contains("configmap/in-new-ns created (dry run)");
    assertThat(hub.raw("/api/v1/namespaces/dry-ns")).isNull();
    assertThat(
            hub.raw(
                "/apis/policy.meridian.dev/v1alpha1/namespaces/default/propagationpolicies/bad"))
        .isNull();
  }
}
