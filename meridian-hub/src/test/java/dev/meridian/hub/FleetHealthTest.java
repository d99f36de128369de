package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health controller on simulated clusters: Ready with what the probe found, Unknown and tainted
 * after the grace period when the cluster stops answering, Ready again when it comes back, with an
 * event for every transition.
 */
class FleetHealthTest {
  static final String CLUSTERS = HubApiTest.CLUSTERS;
  static final Duration GRACE = Duration.ofSeconds(2);

  @TempDir Path dir;
  Hub hub;
  TestClient client;

  @BeforeEach
  void start() {
    hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withHealth(Duration.ofMillis(200), GRACE));
    client = TestClient.of(hub);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  JsonNode awaitCluster(String name, String what, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = client.get(CLUSTERS + "/" + name).json();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("cluster " + name + " never became " + what + "; last seen: " + last);
  }

  static String ready(JsonNode cluster) {
    for (JsonNode c : cluster.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText();
      }
    }
    return "";
  }

  static List<String> taints(JsonNode cluster) {
    List<String> keys = new ArrayList<>();
    cluster.path("spec").path("taints").forEach(t -> keys.add(t.path("key").asText()));
    return keys;
  }

  List<String> eventReasons(String cluster) {
    List<String> reasons = new ArrayList<>();
    for (JsonNode e : client.get("/api/v1/namespaces/default/events").json().path("items")) {
      if (e.path("involvedObject").path("name").asText().equals(cluster)) {
        reasons.add(e.path("reason").asText());
      }
    }
    return reasons;
  }

  List<String> awaitEvents(String cluster, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> reasons = eventReasons(cluster);
    while (reasons.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
      reasons = eventReasons(cluster);
    }
    return reasons;
  }

  @Test
  void simulatedClusterBecomesReadyWithWhatTheProbeFound() throws Exception {
    // When
    client.post(CLUSTERS, HubApiTest.cluster("sim-1", "DE"));
    // Then
    JsonNode c = awaitCluster("sim-1", "Ready", n -> ready(n).equals("True"));
    assertThat(c.path("status").path("kubernetesVersion").asText()).isEqualTo("v1.37.2-sim");
    assertThat(c.path("status").path("distribution").asText()).isEqualTo("simulated");
    assertThat(c.path("status").path("allocatable").path("cpu").asText()).isEqualTo("64");
    assertThat(c.path("status").path("lastProbeTime").asText()).endsWith("Z");
    assertThat(taints(c)).isEmpty();
    assertThat(awaitEvents("sim-1", 1)).containsExactly("ClusterReady");
  }

  @Test
  void silentClusterTurnsUnknownAfterTheGracePeriodAndRecovers() throws Exception {
    // Given
    client.post(CLUSTERS, HubApiTest.cluster("sim-1", "DE"));
    awaitCluster("sim-1", "Ready", n -> ready(n).equals("True"));
    // When: the simulated cluster stops answering
    long failedAt = System.nanoTime();
    var failed =
        client.patch(
            CLUSTERS + "/sim-1",
            "{\"spec\":{\"connection\":{\"simulated\":{\"failure\":\"Down\"}}}}",
            "application/merge-patch+json");
    assertThat(failed.code()).as(failed.body()).isEqualTo(200);
    // Then: it keeps its state through the grace period, then is Unknown and tainted
    Thread.sleep(GRACE.toMillis() / 2);
    assertThat(ready(client.get(CLUSTERS + "/sim-1").json())).isEqualTo("True");
    JsonNode down =
        awaitCluster(
            "sim-1",
            "Unknown",
            n ->
                ready(n).equals("Unknown")
                    && taints(n).contains("cluster.meridian.dev/unreachable"));
    // the grace period runs from the last answer, at most one probe interval before the failure
    assertThat(Duration.ofNanos(System.nanoTime() - failedAt))
        .isGreaterThanOrEqualTo(GRACE.minusMillis(250));

    assertThat(down.path("status").path("conditions").get(0).path("reason").asText())
        .isEqualTo("Unreachable");
    // When: it answers again
    client.patch(
        CLUSTERS + "/sim-1",
        "{\"spec\":{\"connection\":{\"simulated\":{\"failure\":\"None\"}}}}",
        "application/merge-patch+json");
    // Then
    JsonNode back =
        awaitCluster("sim-1", "Ready again", n -> ready(n).equals("True") && taints(n).isEmpty());
    assertThat(back.path("spec").path("connection").path("simulated").path("failure").asText())
        .isEqualTo("None");
    // the event follows the status write
    assertThat(awaitEvents("sim-1", 3))
        .containsExactly("ClusterReady", "ClusterUnreachable", "ClusterReady");
  }

  @Test
  void keepsTaintsThatUsersSet() throws Exception {
    // Given
    String withTaint =
        HubApiTest.cluster("sim-1", "DE")
            .replace(
                "\"location\"",
                "\"taints\":[{\"key\":\"maintenance\",\"effect\":\"NoSchedule\"}],\"location\"");
    client.post(CLUSTERS, withTaint);
    awaitCluster("sim-1", "Ready", n -> ready(n).equals("True"));
    // When
    client.patch(
        CLUSTERS + "/sim-1",
        "{\"spec\":{\"connection\":{\"simulated\":{\"failure\":\"Down\"}}}}",
        "application/merge-patch+json");
    JsonNode down =
        awaitCluster(
            "sim-1", "tainted", n -> taints(n).contains("cluster.meridian.dev/unreachable"));
    client.patch(
        CLUSTERS + "/sim-1",
        "{\"spec\":{\"connection\":{\"simulated\":{\"failure\":\"None\"}}}}",
        "application/merge-patch+json");
    JsonNode back =
        awaitCluster(
            "sim-1", "untainted", n -> !taints(n).contains("cluster.meridian.dev/unreachable"));
    // Then
    assertThat(taints(down))
        .containsExactlyInAnyOrder("maintenance", "cluster.meridian.dev/unreachable");
    assertThat(taints(back)).containsExactly("maintenance");
  }

  @Test
  void deletedClusterIsNoLongerProbed() throws Exception {
    client.post(CLUSTERS, HubApiTest.cluster("sim-1", "DE"));
    awaitCluster("sim-1", "Ready", n -> ready(n).equals("True"));
    assertThat(client.delete(CLUSTERS + "/sim-1").code()).isEqualTo(200);
    Thread.sleep(600);
    assertThat(client.get(CLUSTERS + "/sim-1").code())
        .as("the controller must not recreate it")
        .isEqualTo(404);
  }
}
