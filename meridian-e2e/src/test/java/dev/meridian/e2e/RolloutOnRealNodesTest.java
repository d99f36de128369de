package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.app.Main;
import dev.meridian.hub.Hub;
import dev.meridian.members.RealClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A divided Deployment on two real clusters whose pods really run: each cluster has a
 * kube-scheduler and a KWOK node ({@code test-clusters}, TC_NODES=1), so its Deployment controller
 * sees pods Ready and available, and {@code kubectl rollout status} against the hub follows real
 * Kubernetes status.
 */
class RolloutOnRealNodesTest {
  static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path dir;
  static RealClusters real;
  static Hub hub;
  static List<String> members;

  @BeforeAll
  static void start() throws Exception {
    real = RealClusters.start(2, RealClusters.Options.defaults().withNodes());
    members = List.of(real.get(0).name(), real.get(1).name());
    hub = E2e.hubWithFleet(dir, real, members, WAIT);
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

  static Main.Result onHub(String... args) throws Exception {
    return E2e.kubectl(dir, real.kubectl(), hub.kubeconfig(), args);
  }

  static String onMember(String m, String... args) throws Exception {
    Main.Result r = E2e.kubectl(dir, real.kubectl(), real.cluster(m).kubeconfig(), args);
    return r.code() == 0 ? r.out() : "<error: " + r.err() + ">";
  }

  @Test
  void rolloutStatusFollowsPodsThatReallyBecomeReady() throws Exception {
    // Given: 4 replicas divided over the two clusters
    Path app = dir.resolve("app.yaml");
    Files.writeString(
        app,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: web, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
          placement:
            clusterAffinity: {labelSelector: {matchLabels: {ring: prod}}}
            replicaScheduling: {type: Divided}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 4
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                resources: {requests: {cpu: 100m}}
        """);
    Main.Result applied = meridian("apply", "-f", app.toString());
    assertThat(applied.code()).as(applied.err()).isZero();
    // When: kubectl waits for the rollout through the hub
    Main.Result first =
        onHub(
            "rollout", "status", "deploy/web", "-n", "shop", "--timeout=" + WAIT.toSeconds() + "s");
    // Then: done once the pods are Ready in both clusters
    assertThat(first.code()).as(first.err()).isZero();
    for (String m : members) {
      assertThat(
              onMember(
                  m,
                  "get",
                  "deploy",
                  "web",
                  "-n",
                  "shop",
                  "-o",
                  "jsonpath={.status.availableReplicas}"))
          .as("available in " + m)
          .isEqualTo("2");
      assertThat(
              onMember(m, "get", "pods", "-n", "shop", "-o", "jsonpath={.items[*].status.phase}"))
          .isEqualTo("Running Running");
    }
    JsonNode web =
        ResourceCodec.JSON.readTree(
            meridian("get", "deploy", "web", "-n", "shop", "-o", "json").out());
    assertThat(web.at("/status/readyReplicas").asInt()).isEqualTo(4);
    assertThat(web.at("/status/availableReplicas").asInt()).isEqualTo(4);
    // When: a new image, and kubectl waits again
    Main.Result changed = onHub("set", "image", "deploy/web", "-n", "shop", "web=nginx:1.28");
    Main.Result second =
        onHub(
            "rollout", "status", "deploy/web", "-n", "shop", "--timeout=" + WAIT.toSeconds() + "s");
    // Then: every pod in both clusters is of the new image, and Ready
    assertThat(changed.code()).as(changed.err()).isZero();
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("successfully rolled out");
    for (String m : members) {
      E2e.await(
          "only new pods in " + m,
          WAIT,
          () ->
              onMember(
                  m,
                  "get",
                  "pods",
                  "-n",
                  "shop",
                  "-o",
                  "jsonpath={.items[*].spec.containers[0].image}"),
          "nginx:1.28 nginx:1.28"::equals);
      assertThat(
              onMember(
                  m,
                  "get",
                  "deploy",
                  "web",
                  "-n",
                  "shop",
                  "-o",
                  "jsonpath={.status.updatedReplicas}"))
          .isEqualTo("2");
    }
  }
}
