package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meridian plan}: the scheduler offline, on files; no hub. */
class PlanTest {
  private static final Map<String, String> ENV = Map.of();
  private static final Path EXAMPLES = Path.of("..", "examples", "placement");

  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static String cluster(String name, String country, String cpu, String extra) {
    return """
        apiVersion: fleet.meridian.dev/v1alpha1
        kind: Cluster
        metadata: {name: %s, labels: {ring: prod}}
        spec:
          connection: {simulated: {capacity: {cpu: "64"}}}
          location: {region: r-%s, zone: z-%s, country: %s, provider: aws}
        status:
          conditions: [{type: Ready, status: "True"}]
          kubernetesVersion: v1.30.2
          allocatable: {cpu: "%s", memory: 64Gi, pods: "110"}
        %s---
        """
        .formatted(name, country, country, country, cpu, extra);
  }

  private static final String WEB =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        replicas: 6
        template: {spec: {containers: [{name: web, image: nginx, resources: {requests: {cpu: "1"}}}]}}
      ---
      """;

  private static String policy(String placement) {
    return """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: web, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
          placement: %s
        ---
        """
        .formatted(placement);
  }

  private Path fleet() throws Exception {
    return write(
        "clusters.yaml",
        cluster("de-1", "DE", "8", "")
            + cluster("fr-1", "FR", "4", "")
            + cluster("us-1", "US", "2", ""));
  }

  @Test
  void printsTheChosenClustersAndWhyTheOthersWereLeftOut() throws Exception {
    // Given a Deployment divided by available replicas, and a ConfigMap nobody selects
    Path app =
        write(
            "app.yaml",
            WEB
                + policy(
                    "{clusterAffinity: {exclude: [us-1]}, replicaScheduling: {type: Divided, weights: {dynamic: AvailableReplicas}}}")
                + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n");

    // When planned
    CliResult r = Cli.run(ENV, "plan", "-f", app.toString(), "--clusters", fleet().toString());

    // Then each template is explained
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            """
            Deployment shop/web  (policy shop/web)
              placed on 2 clusters:
                de-1  4 replicas
                fr-1  2 replicas
              excluded 1 cluster:
                us-1  affinity: excluded by name

            ConfigMap default/settings
              no policy selects it
            """);
  }

  @Test
  void printsJsonInThePlanShape() throws Exception {
    Path app = write("app.yaml", WEB + policy("{replicaScheduling: {type: Divided}}"));
    CliResult r =
        Cli.run(ENV, "plan", "-f", app.toString(), "--clusters", fleet().toString(), "-o", "json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode d = ResourceCodec.JSON.readTree(r.out()).path("decisions").get(0);
    assertThat(d.path("resource").toString())
        .isEqualTo(
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"namespace\":\"shop\",\"name\":\"web\"}");
    assertThat(d.path("policy").asText()).isEqualTo("shop/web");
    assertThat(d.path("clusters").toString())
        .isEqualTo(
            "[{\"name\":\"de-1\",\"replicas\":2},{\"name\":\"fr-1\",\"replicas\":2},{\"name\":\"us-1\",\"replicas\":2}]");
    assertThat(d.path("excluded").isArray()).isTrue();
    assertThat(d.path("unschedulable").isNull()).isTrue();
  }

  @Test
  void theSegmentationExamplePlacesEachComponentByItsOwnPolicy() throws Exception {
    JsonNode decisions = planExample("segmentation.yaml");
    assertThat(placement(decisions, "web")).isEqualTo("{eu-de-1=4, eu-fr-1=2, us-east-1=3}");
    assertThat(find(decisions, null, "web").path("policy").asText()).isEqualTo("shop/frontend");
    assertThat(placement(decisions, "api")).isEqualTo("{eu-de-1=40}");
    assertThat(find(decisions, "Deployment", "api").path("affinityName").asText())
        .isEqualTo("eu-prod");
    assertThat(placement(decisions, "report")).isEqualTo("{eu-ie-1=null, us-west-2=null}");
    // version awareness: autoscaling/v2 is not served by the 1.22 cluster
    JsonNode hpa = find(decisions, "HorizontalPodAutoscaler", "report-workers");
    assertThat(hpa.path("excluded").toString())
        .contains(
            "api: autoscaling/v2 HorizontalPodAutoscaler is served from Kubernetes 1.23; cluster runs v1.22.17");
  }

  @Test
  void theResidencyExampleNeverLeavesTheAllowedCountries() throws Exception {
    JsonNode decisions = planExample("residency.yaml");
    assertThat(placement(decisions, "customers-eu")).isEqualTo("{eu-de-1=3, eu-fr-1=3}");
    assertThat(placement(decisions, "customers-us"))
        .isEqualTo("{eu-de-1=3, eu-fr-1=3, us-east-1=3}");
    JsonNode ledger = find(decisions, "Deployment", "ledger");
    assertThat(ledger.path("clusters").isEmpty()).isTrue();
    assertThat(ledger.path("unschedulable").asText())
        .endsWith(
            "nothing is placed outside the locations ResidencyPolicy gdpr-eu-personal-data allows");
  }

  @Test
  void readsTemplatesFromStandardInputAndWarnsOfUnknownClusterNames() throws Exception {
    CliResult r =
        Cli.runWithStdin(
            ENV,
            WEB + policy("{clusterAffinity: {names: [de-1, mars-1]}}"),
            "plan",
            "-f",
            "-",
            "--clusters",
            fleet().toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.errLines())
        .containsExactly(
            "Warning: stdin: object 2 (PropagationPolicy web): spec.placement.clusterAffinity.names[1]:"
                + " no cluster named \"mars-1\" is known");
    assertThat(r.out()).contains("de-1  6 replicas");
  }

  @Test
  void anInvalidPolicyIsOneLineWithItsFieldPath() throws Exception {
    Path app =
        write(
            "app.yaml",
            WEB + policy("{spreadConstraints: [{spreadBy: region, minGroups: 3, maxGroups: 2}]}"));
    CliResult r = Cli.run(ENV, "plan", "-f", app.toString(), "--clusters", fleet().toString());
    assertOneLineError(
        r,
        1,
        "error: "
            + app
            + ": object 2 (PropagationPolicy web):"
            + " spec.placement.spreadConstraints[0].minGroups: must not exceed maxGroups (3 > 2)");
  }

  @Test
  void aPolicyFailingItsSchemaIsOneLine() throws Exception {
    Path app = write("app.yaml", WEB + policy("{replicaScheduling: {type: Sideways}}"));
    CliResult r = Cli.run(ENV, "plan", "-f", app.toString(), "--clusters", fleet().toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith(
            "error: "
                + app
                + ": object 2 (PropagationPolicy web): spec.placement.replicaScheduling.type");
  }

  @Test
  void badClusterFilesAreOneLineErrors() throws Exception {
    Path app = write("app.yaml", WEB + policy("{}"));
    Path notClusters = write("not-clusters.yaml", WEB);
    Path badQuantity = write("bad.yaml", cluster("x", "DE", "lots", ""));
    Path twice = write("twice.yaml", cluster("x", "DE", "1", "") + cluster("x", "FR", "1", ""));
    assertOneLineError(
        Cli.run(ENV, "plan", "-f", app.toString(), "--clusters", notClusters.toString()),
        1,
        "error: "
            + notClusters
            + ": object 1 (Deployment web): --clusters holds Cluster objects"
            + " (and ResidencyPolicies), not Deployment");
    CliResult bad =
        Cli.run(ENV, "plan", "-f", app.toString(), "--clusters", badQuantity.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.errLines())
        .singleElement()
        .asString()
        .startsWith(
            "error: " + badQuantity + ": object 1 (Cluster x): status.allocatable.cpu: \"lots\"");
    assertOneLineError(
        Cli.run(ENV, "plan", "-f", app.toString(), "--clusters", twice.toString()),
        1,
        "error: " + twice + ": object 2 (Cluster x): a second Cluster named \"x\"");
    assertOneLineError(
        Cli.run(
            ENV, "plan", "-f", app.toString(), "--clusters", dir.resolve("none.yaml").toString()),
        1,
        "error: the path \"" + dir.resolve("none.yaml") + "\" does not exist");
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    Path app = write("app.yaml", WEB);
    CliResult missing = Cli.run(ENV, "plan", "-f", app.toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.errLines()).singleElement().asString().contains("--clusters");
    CliResult format =
        Cli.run(ENV, "plan", "-f", app.toString(), "--clusters", fleet().toString(), "-o", "yaml");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.errLines())
        .singleElement()
        .asString()
        .contains("unknown output format \"yaml\": expected text or json");
  }

  private static void assertOneLineError(CliResult r, int exit, String line) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
    assertThat(r.errLines()).as(r.toString()).containsExactly(line);
    assertThat(r.out()).isEmpty();
  }

  /** The decisions of {@code meridian plan -o json} for an example on the example fleet. */
  private static JsonNode planExample(String file) throws Exception {
    CliResult r =
        Cli.run(
            ENV,
            "plan",
            "-f",
            EXAMPLES.resolve(file).toString(),
            "--clusters",
            EXAMPLES.resolve("clusters.yaml").toString(),
            "-o",
            "json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return ResourceCodec.JSON.readTree(r.out()).path("decisions");
  }

  /** The decision for the template {@code kind name}; any kind when {@code kind} is null. */
  private static JsonNode find(JsonNode decisions, String kind, String name) {
    for (JsonNode d : decisions) {
      JsonNode r = d.path("resource");
      if ((kind == null || r.path("kind").asText().equals(kind))
          && r.path("name").asText().equals(name)) {
        return d;
      }
    }
    throw new AssertionError("no decision for " + kind + " " + name + " in " + decisions);
  }

  /** {@code {cluster=replicas, ...}} of the first template named {@code name}. */
  private static String placement(JsonNode decisions, String name) {
    Map<String, Object> m = new java.util.TreeMap<>();
    for (JsonNode c : find(decisions, null, name).path("clusters")) {
      m.put(
          c.path("name").asText(), c.path("replicas").isNull() ? null : c.path("replicas").asInt());
    }
    return m.toString();
  }

  @Test
  void aPolicyThatSelectsNothingIsAWarning() throws Exception {
    Path app =
        write(
            "app.yaml",
            WEB
                + policy("{}")
                + policy("{}")
                    .replace("name: web, namespace", "name: idle, namespace")
                    .replace("kind: Deployment, name: web", "kind: Deployment, name: gone"));
    CliResult r = Cli.run(ENV, "plan", "-f", app.toString(), "--clusters", fleet().toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.errLines())
        .containsExactly(
            "Warning: " + app + ": object 3 (PropagationPolicy idle): selects no template");
  }
}
