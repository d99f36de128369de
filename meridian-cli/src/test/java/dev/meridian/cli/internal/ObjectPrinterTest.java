package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectPrinterTest {
  static final ResourceTypes TYPES = ResourceTypes.standard();
  static final ResourceType CLUSTER = TYPES.resolve("cluster").orElseThrow();
  static final ResourceType DEPLOYMENT = TYPES.resolve("deploy").orElseThrow();
  static final ResourceType CONFIG_MAP = TYPES.resolve("cm").orElseThrow();
  static final Instant NOW = Instant.parse("2026-03-05T12:00:00Z");

  static ObjectNode yaml(String text) {
    return ResourceCodec.readDocuments(text).get(0);
  }

  static ObjectNode cluster(String name, boolean simulated, String ready) {
    return yaml(
        """
        apiVersion: fleet.meridian.dev/v1alpha1
        kind: Cluster
        metadata: {name: %s, creationTimestamp: "2026-03-05T11:57:00Z"}
        spec:
          connection: %s
          location: {region: eu-west, zone: eu-west-1a, country: DE, provider: aws}
        status:
          conditions: [{type: Ready, status: "%s"}]
          kubernetesVersion: v1.37.2
        """
            .formatted(
                name, simulated ? "{simulated: {}}" : "{kubeconfigSecret: {name: k}}", ready));
  }

  @Test
  void printsClustersWithReadinessAndWhetherTheyAreSimulated() {
    // Given a real and a simulated cluster
    List<ObjectNode> clusters =
        List.of(cluster("prod-1", false, "True"), cluster("sim", true, "False"));

    // When they are printed as a table
    String text = new ObjectPrinter(OutputFormat.TABLE, CLUSTER, false, NOW).print(clusters, false);

    // Then the simulated one says so, and every column is filled
    assertThat(text)
        .isEqualTo(
            "NAME     READY   SIMULATED   REGION    COUNTRY   PROVIDER   VERSION   AGE\n"
                + "prod-1   True    no          eu-west   DE        aws        v1.37.2   3m\n"
                + "sim      False   yes         eu-west   DE        aws        v1.37.2   3m\n");
  }

  @Test
  void widensDeploymentsWithContainersAndPutsTheNamespaceFirstAcrossNamespaces() {
    // Given a deployment with 2 of 3 replicas ready
    ObjectNode web =
        yaml(
            """
            metadata: {name: web, namespace: shop, creationTimestamp: "2026-03-05T11:59:55Z"}
            spec:
              replicas: 3
              template: {spec: {containers: [{name: app, image: "nginx:1"}, {name: log, image: fluent}]}}
            status: {readyReplicas: 2}
            """);

    // When it is printed wide across namespaces
    String text =
        new ObjectPrinter(OutputFormat.WIDE, DEPLOYMENT, true, NOW).print(List.of(web), false);

    // Then
    assertThat(text)
        .isEqualTo(
            "NAMESPACE   NAME   READY   AGE   CONTAINERS   IMAGES\n"
                + "shop        web    2/3     5s    app,log      nginx:1,fluent\n");
  }

  @Test
  void printsNamesAsKindDotGroupSlashName() {
    // Given objects of a grouped kind, a Meridian kind and a core kind
    ObjectNode named = yaml("metadata: {name: x}");

    // When printed with -o name
    String deployment =
        new ObjectPrinter(OutputFormat.NAME, DEPLOYMENT, false, NOW).print(List.of(named), false);
    String cluster =
        new ObjectPrinter(OutputFormat.NAME, CLUSTER, false, NOW).print(List.of(named), false);
    String configMap =
        new ObjectPrinter(OutputFormat.NAME, CONFIG_MAP, false, NOW).print(List.of(named), false);

    // Then
    assertThat(deployment).isEqualTo("deployment.apps/x\n");
    assertThat(cluster).isEqualTo("cluster.fleet.meridian.dev/x\n");
    assertThat(configMap).isEqualTo("configmap/x\n");
  }

  @Test
  void printsOneObjectAsItselfAndOtherwiseAList() throws Exception {
    // Given one config map
    ObjectNode cm = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}");

    // When printed as asked for by name, and as the result of a listing
    String single =
        new ObjectPrinter(OutputFormat.JSON, CONFIG_MAP, false, NOW).print(List.of(cm), true);
    String listed =
        new ObjectPrinter(OutputFormat.YAML, CONFIG_MAP, false, NOW).print(List.of(cm), false);

    // Then the first is the object, as kubectl formats JSON, and the second a v1 List
    assertThat(single)
        .isEqualTo(
            "{\n"
                + "    \"apiVersion\": \"v1\",\n"
                + "    \"kind\": \"ConfigMap\",\n"
                + "    \"metadata\": {\n"
                + "        \"name\": \"a\"\n"
                + "    },\n"
                + "    \"data\": {\n"
                + "        \"k\": \"v\"\n"
                + "    }\n"
                + "}\n");
    assertThat(listed).startsWith("apiVersion: v1\nkind: List\n");
    assertThat(ResourceCodec.readDocuments(listed)).containsExactly(cm); // unwraps the List
  }

  @Test
  void watchRowsFollowTheFirstTableAndAnEmptyStartPrintsTheHeaderOnce() {
    // Given a printer that printed nothing at first
    ObjectPrinter printer = new ObjectPrinter(OutputFormat.TABLE, CONFIG_MAP, false, NOW);
    assertThat(printer.print(List.of(), false)).isEmpty();

    // When two events arrive
    String first =
        printer.event(yaml("metadata: {name: a, creationTimestamp: '2026-03-05T11:59:59Z'}"));
    String second =
        printer.event(yaml("metadata: {name: b, creationTimestamp: '2026-03-05T11:59:58Z'}"));

    // Then the header comes with the first only
    assertThat(first).isEqualTo("NAME   AGE\na      1s\n");
    assertThat(second).isEqualTo("b      2s\n");
  }

  @Test
  void fillsInTheKindOfListItemsThatOmitIt() {
    // Given a list item without apiVersion and kind
    ObjectNode item = yaml("metadata: {name: a}");

    // When it is typed
    ObjectNode typed = ObjectPrinter.typed(item, DEPLOYMENT);

    // Then it says what it is, first
    assertThat(typed.fieldNames()).toIterable().startsWith("apiVersion", "kind", "metadata");
    assertThat(typed.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(typed.path("kind").asText()).isEqualTo("Deployment");
  }
}
