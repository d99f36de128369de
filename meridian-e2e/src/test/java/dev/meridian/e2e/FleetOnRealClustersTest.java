package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.app.Main;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import dev.meridian.members.RealClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet on three real Kubernetes API servers (v1.37.2, built from source by test-clusters/):
 * join, health, apply through the connector checked with kubectl, an outage and a recovery, and
 * joins that must fail without registering anything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetOnRealClustersTest {
  static final Duration GRACE = Duration.ofSeconds(5);
  static final String CLUSTERS = "/apis/fleet.meridian.dev/v1alpha1/clusters";

  @TempDir static Path dir;
  static RealClusters real;
  static Hub hub;

  @BeforeAll
  static void start() {
    real = RealClusters.start(3);
    hub =
        Hub.start(
            HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0)
                .withHealth(Duration.ofMillis(500), GRACE));
  }

  @AfterAll
  static void stop() {
    if (hub != null) {
      hub.close();
    }
    if (real != null) {
      real.close();
    }
  }

  static Main.Result meridian(String... args) {
    return Main.capture(hub.clientEnvironment(), args);
  }

  static JsonNode cluster(String name) {
    Main.Result r = meridian("get", "cluster", name, "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    try {
      return ResourceCodec.JSON.readTree(r.out());
    } catch (Exception e) {
      throw new IllegalStateException(r.out(), e);
    }
  }

  static String ready(JsonNode c) {
    for (JsonNode cond : c.path("status").path("conditions")) {
      if (cond.path("type").asText().equals("Ready")) {
        return cond.path("status").asText();
      }
    }
    return "";
  }

  static JsonNode await(String name, String what, Duration within, Predicate<JsonNode> p)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = cluster(name);
      if (p.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        name + " did not become " + what + " within " + within + "; last: " + last);
  }

  static Main.Result kubectl(RealClusters.Cluster c, String... args) throws Exception {
    return E2e.kubectl(dir, real.kubectl(), c.kubeconfig(), args);
  }

  @Test
  @Order(1)
  void joinsRealClustersThatBecomeReadyWithTheirVersion() throws Exception {
    String[] countries = {"DE", "US", "IN"};
    for (int i = 0; i < 3; i++) {
      RealClusters.Cluster c = real.get(i);
      // When
      Main.Result join =
          meridian(
              "join",
              c.name(),
              "--kubeconfig",
              c.kubeconfig().toString(),
              "--country",
              countries[i],
              "--region",
              "r" + i,
              "-l",
              "ring=prod");
      // Then
      assertThat(join.code()).as(join.err()).isZero();
      assertThat(join.out()).contains("cluster.fleet.meridian.dev/" + c.name() + " joined");
    }
    for (int i = 0; i < 3; i++) {
      JsonNode c =
          await(real.get(i).name(), "Ready", Duration.ofSeconds(30), n -> ready(n).equals("True"));
      assertThat(c.path("status").path("kubernetesVersion").asText()).isEqualTo("v1.37.2");
      assertThat(c.path("spec").path("connection").path("kubeconfigSecret").path("name").asText())
          .isEqualTo(real.get(i).name() + "-kubeconfig");
      assertThat(c.path("spec").path("connection").has("kubeconfig"))
          .as("credentials never stay on the Cluster")
          .isFalse();
      assertThat(c.path("spec").path("location").path("country").asText()).isEqualTo(countries[i]);
    }
    Main.Result table = meridian("get", "clusters");
    assertThat(table.out()).containsPattern(real.get(0).name() + "\\s+True\\s+no\\s+r0\\s+DE");
    // one connection per cluster: the fleet goes on with the one the join probed with
    assertThat(hub.memberClientsBuilt()).isEqualTo(3);
  }

  @Test
  @Order(2)
  void appliesThroughTheConnectorAsFieldManagerMeridian() throws Exception {
    // Given
    RealClusters.Cluster c = real.get(0);
    ObjectNode cm =
        (ObjectNode)
            ResourceCodec.readDocuments(
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-meridian, namespace: default}\ndata: {greeting: hello}\n")
                .get(0);
    // When
    hub.members().member((ObjectNode) cluster(c.name())).apply(cm);
    // Then
    Main.Result value =
        kubectl(c, "get", "configmap", "from-meridian", "-o", "jsonpath={.data.greeting}");
    Main.Result managers =
        kubectl(
            c,
            "get",
            "configmap",
            "from-meridian",
            "--show-managed-fields",
            "-o",
            "jsonpath={.metadata.managedFields[*].manager}");
    assertThat(value.out()).as(value.err()).isEqualTo("hello");
    assertThat(managers.out()).contains("meridian");
    assertThat(kubectl(real.get(1), "get", "configmap", "from-meridian").code())
        .as("only the cluster it was sent to")
        .isNotZero();
  }

  @Test
  @Order(3)
  void clusterThatStopsAnsweringTurnsUnknownWithinTheGracePeriodAndComesBack() throws Exception {
    // Given
    RealClusters.Cluster down = real.get(1);
    await(down.name(), "Ready", Duration.ofSeconds(30), n -> ready(n).equals("True"));
    // When
    long stoppedAt = System.nanoTime();
    real.stop(down.name());
    // Then: Unknown and tainted after the grace period (plus at most a probe and its timeout)
    JsonNode unknown =
        await(
            down.name(),
            "Unknown",
            GRACE.plusSeconds(15),
            n ->
                ready(n).equals("Unknown")
                    && n.path("spec")
                        .path("taints")
                        .toString()
                        .contains("cluster.meridian.dev/unreachable"));
    assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt))
        .isGreaterThanOrEqualTo(GRACE.minusSeconds(1));
    assertThat(unknown.path("status").path("conditions").toString()).contains("Unreachable");
    // and the others were never held up
    assertThat(ready(cluster(real.get(0).name()))).isEqualTo("True");
    assertThat(ready(cluster(real.get(2).name()))).isEqualTo("True");
    // When
    real.restart(down.name());
    // Then
    JsonNode back =
        await(
            down.name(),
            "Ready again",
            Duration.ofSeconds(30),
            n ->
                ready(n).equals("True")
                    && !n.path("spec").path("taints").toString().contains("unreachable"));
    assertThat(back.path("status").path("kubernetesVersion").asText()).isEqualTo("v1.37.2");
    String events = "";
    for (int i = 0;
        i < 100
            && !(events.contains("ClusterUnreachable")
                && events.lastIndexOf("ClusterReady") > events.indexOf("ClusterUnreachable"));
        i++) {
      events =
          meridian("get", "events", "-n", "default", "-o", "json")
              .out(); // events follow status writes
      Thread.sleep(100);
    }
    assertThat(events).contains("ClusterUnreachable").contains("ClusterReady");
  }

  @Test
  @Order(4)
  void badKubeconfigsRegisterNothing() throws Exception {
    RealClusters.Cluster c = real.get(2);
    String good = Files.readString(c.kubeconfig());
    Path wrongToken = dir.resolve("wrong-token.yaml");
    Files.writeString(wrongToken, good.replaceAll("token: .*", "token: not-a-valid-token"));
    Path nowhere = dir.resolve("nowhere.yaml");
    Files.writeString(nowhere, good.replace(c.url(), "https://127.0.0.1:1"));
    Path garbage = dir.resolve("garbage.yaml");
    Files.writeString(garbage, "clusters: [unclosed\n");
    Map<String, Main.Result> runs =
        Map.of(
            "unreadable",
                meridian("join", "bad-1", "--kubeconfig", dir.resolve("missing.yaml").toString()),
            "garbage", meridian("join", "bad-2", "--kubeconfig", garbage.toString()),
            "wrong token", meridian("join", "bad-3", "--kubeconfig", wrongToken.toString()),
            "points nowhere", meridian("join", "bad-4", "--kubeconfig", nowhere.toString()),
            "missing context",
                meridian(
                    "join",
                    "bad-5",
                    "--kubeconfig",
                    c.kubeconfig().toString(),
                    "--context",
                    "nope"));
    runs.forEach(
        (what, run) -> {
          assertThat(run.code()).as(what).isNotZero();
          assertThat(run.err().strip().lines()).as(what + ": " + run.err()).hasSize(1);
          assertThat(run.err()).as(what).startsWith("error: ");
        });
    assertThat(runs.get("wrong token").err()).containsIgnoringCase("unauthorized");
    assertThat(runs.get("missing context").err()).contains("nope");
    Main.Result clusters = meridian("get", "clusters", "-o", "name");
    assertThat(clusters.out()).doesNotContain("bad-");
    Main.Result secrets = meridian("get", "secrets", "-n", "meridian-system", "-o", "name");
    assertThat(secrets.out()).doesNotContain("bad-");
  }

  @Test
  @Order(5)
  void unjoinRemovesTheClusterAndItsCredentials() {
    String name = real.get(2).name();
    Main.Result unjoin = meridian("unjoin", name);
    assertThat(unjoin.code()).as(unjoin.err()).isZero();
    assertThat(meridian("get", "cluster", name).code()).isNotZero();
    assertThat(meridian("get", "secret", name + "-kubeconfig", "-n", "meridian-system").code())
        .isNotZero();
  }
}
