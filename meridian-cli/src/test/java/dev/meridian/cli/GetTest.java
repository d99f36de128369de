package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code meridian get} against a real hub holding three clusters and a deployment. */
class GetTest {
  @RegisterExtension static final HubFixture hub = new HubFixture();

  @BeforeAll
  static void fleet() throws Exception {
    CliResult applied =
        hub.run(
            "apply",
            "-f",
            hub.write(
                    "fleet.yaml",
                    String.join(
                        "---\n",
                        Manifests.simulatedCluster("eu-west-1", "eu-west", "DE"),
                        Manifests.simulatedCluster("us-east-1", "us-east", "US"),
                        Manifests.simulatedCluster("ap-south-1", "ap-south", "IN"),
                        Manifests.namespace("shop"),
                        Manifests.deployment("shop", "web", 3)))
                .toString());
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
  }

  @Test
  void printsAnAlignedTableWithTheClusterColumns() {
    // When clusters are listed by their short name
    CliResult result = hub.run("get", "mc");

    // Then a header and one aligned row per cluster come out, simulated ones marked as such
    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<String> lines = result.outLines();
    assertThat(lines.get(0))
        .matches("NAME +READY +SIMULATED +REGION +COUNTRY +PROVIDER +VERSION +AGE");
    assertThat(lines).hasSize(4);
    assertThat(lines.subList(1, 4))
        .anySatisfy(
            l -> assertThat(l).matches("eu-west-1 +\\S+ +yes +eu-west +DE +aws +\\S+ +\\d+s"));
    int ageColumn = lines.get(0).indexOf("AGE");
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isGreaterThan(ageColumn));
    assertThat(lines.subList(1, 4))
        .allSatisfy(l -> assertThat(l.charAt(ageColumn - 1)).isEqualTo(' '));
    assertThat(lines.subList(1, 4))
        .allSatisfy(l -> assertThat(l.charAt(ageColumn)).isNotEqualTo(' '));
  }

  @Test
  void showsDeploymentReadinessAndTheNamespaceColumnAcrossNamespaces() {
    // When deployments of every namespace are listed
    CliResult result = hub.run("get", "deployments.apps", "-A");

    // Then the namespace comes first and READY is ready/desired
    assertThat(result.outLines())
        .hasSize(2)
        .first()
        .asString()
        .matches("NAMESPACE +NAME +READY +AGE");
    assertThat(result.outLines().get(1)).matches("shop +web +0/3 +\\d+s");
  }

  @Test
  void printsOneObjectAsYamlAndSeveralAsAList() throws Exception {
    // When one cluster and then all clusters are asked for as YAML and JSON
    CliResult one = hub.run("get", "cluster", "eu-west-1", "-o", "yaml");
    CliResult all = hub.run("get", "clusters", "-o", "json");

    // Then one prints as the object itself and all as a v1 List
    JsonNode obj = ResourceCodec.readDocuments(one.out()).get(0);
    assertThat(obj.path("kind").asText()).isEqualTo("Cluster");
    assertThat(obj.path("metadata").path("name").asText()).isEqualTo("eu-west-1");
    JsonNode list = ResourceCodec.JSON.readTree(all.out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items")).hasSize(3);
    assertThat(list.path("items").get(0).path("apiVersion").asText())
        .isEqualTo("fleet.meridian.dev/v1alpha1");
  }

  @Test
  void printsNamesAndFiltersByLabelsWithInAndNotin() {
    // When clusters are selected by set-based selectors
    CliResult in = hub.run("get", "mc", "-l", "region in (eu-west, us-east)", "-o", "name");
    CliResult notin = hub.run("get", "mc", "-l", "region notin (eu-west,us-east)", "-o", "name");

    // Then each prints the matching names in kind.group/name form
    assertThat(in.outLines())
        .containsExactlyInAnyOrder(
            "cluster.fleet.meridian.dev/eu-west-1", "cluster.fleet.meridian.dev/us-east-1");
    assertThat(notin.outLines()).containsExactly("cluster.fleet.meridian.dev/ap-south-1");
  }

  @Test
  void saysSoOnStderrWhenNothingMatches() {
    // When a namespace without deployments is listed
    CliResult result = hub.run("get", "deploy");

    // Then stdout is empty, stderr says so and the exit code is 0
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("No resources found in default namespace.\n");
  }

  @Test
  void failsOnAMissingNameWithTheHubsMessage() {
    // When a cluster that does not exist is asked for
    CliResult result = hub.run("get", "mc", "nope");

    // Then the hub's NotFound message is the one error line
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.errLines().get(0))
        .startsWith("error: ")
        .contains("nope")
        .contains("not found");
  }

  @Test
  void printsNothingOnStdoutWhenNoNamedObjectExists() {
    // When
    CliResult result = hub.run("get", "mc", "nope", "-o", "json");

    // Then: no empty List for scripts to mistake for an answer
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
  }

  @Test
  void versionShowsTheClientAndTheHub() {
    // When the versions are asked for
    CliResult result = hub.run("version");

    // Then both come out, the hub's from its /version
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.outLines()).hasSize(2);
    assertThat(result.outLines().get(0)).startsWith("Client Version: ");
    assertThat(result.outLines().get(1)).matches("Server Version: v\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void listsSeveralKindsSeparatedByCommasAsKubectlDoes() throws Exception {
    // When deployments and namespaces are asked for together
    CliResult table = hub.run("get", "deploy,ns", "-n", "shop");
    CliResult json = hub.run("get", "deploy,ns", "-n", "shop", "-o", "json");

    // Then one table per kind, names qualified by their kind
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out())
        .contains("deployment.apps/web")
        .contains("namespace/shop")
        .contains("\n\n");
    // and one List holding both kinds
    JsonNode list = ResourceCodec.JSON.readTree(json.out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items").findValuesAsText("kind")).contains("Deployment", "Namespace");
    // an unknown kind among them is an error, with nothing printed
    CliResult bad = hub.run("get", "deploy,nosuchkind");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("nosuchkind");
    assertThat(hub.run("get", "deploy,ns", "-w").exitCode()).isNotZero();
  }
}
