package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.GatewayOptions;
import dev.meridian.gateway.RunningGateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The failover test: load from many keep-alive clients through the gateway to the shop's
 * web in three simulated clusters serving real HTTP; one cluster fails mid-run ({@code meridian sim
 * fail}: its backend stops listening and drops its connections). Not one answer is an error, not
 * one request meets a socket error, and from one second after the failure the gateway no longer
 * tries the dead cluster at all.
 */
class FailoverUnderLoadTest extends SampleFleetTest {

  static final String APP =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop, labels: {app: web}}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - {name: web, image: nginx:1.27, ports: [{containerPort: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: 80}]
      ---
      apiVersion: policy.meridian.dev/v1alpha1
      kind: PropagationPolicy
      metadata: {name: web, namespace: shop}
      spec:
        resourceSelectors:
        - {apiVersion: apps/v1, kind: Deployment, name: web}
        - {apiVersion: v1, kind: Service, name: web}
        placement:
          clusterAffinity: {names: [eu-west-1, us-east-1, ap-south-1]}
          replicaScheduling: {type: Duplicated}
      ---
      apiVersion: network.meridian.dev/v1alpha1
      kind: GlobalRoute
      metadata: {name: web, namespace: shop}
      spec:
        rules:
        - backendRefs: [{kind: Service, name: web, port: 80}]
        loadBalancing: {policy: RoundRobin, locality: None}
        healthCheck: {path: /healthz, interval: 1s}
      """;

  @Test
  void aClusterThatFailsUnderLoadCostsNoRequestAndLosesItsTrafficWithinASecond() throws Exception {
    // Given: web in three clusters behind a gateway that follows the hub
    apply(APP);
    fleet.await(
        "an endpoint in each of the three clusters",
        r -> r.path("status").path("backends").path(0).path("endpoints").size() == 3,
        "globalroute",
        "web",
        "-n",
        "shop");
    MeterRegistry metrics = new SimpleMeterRegistry();
    try (RunningGateway gateway =
        GatewayCommand.start(
            GatewayOptions.builder("127.0.0.1", 0).eventLoops(1).build(),
            "failover-test",
            null,
            null,
            Map.of(),
            GatewayCommand.hubSource(Demo.endpoint(fleet.hub())),
            metrics)) {
      assertThat(gateway.awaitRoutes(Duration.ofSeconds(20))).isTrue();
      URI url = URI.create("http://" + GatewayCommand.hostPort(gateway.gateway().address()) + "/");

      // When: 8 clients keep sending, and eu-west-1 fails in the middle of the run
      long failedAt;
      long offAt;
      double attemptsAtOff;
      try (HttpLoad load = new HttpLoad(url, Map.of(), 8, Duration.ofSeconds(60))) {
        awaitAnswersFromEveryCluster(load);
        Thread.sleep(1000);
        assertThat(run("sim", "fail", "eu-west-1").code()).isZero();
        failedAt = System.nanoTime();
        Thread.sleep(1000);
        offAt = System.nanoTime();
        attemptsAtOff = upstreamErrors(metrics, "eu-west-1");
        Thread.sleep(3000);
        load.close();

        // Then: every request was answered, and answered 200
        assertThat(load.errors()).as("socket errors").isEmpty();
        List<HttpLoad.Answer> answers = load.answers();
        assertThat(answers).hasSizeGreaterThan(500);
        assertThat(answers.stream().filter(a -> a.status() != 200).toList())
            .as("answers that were not 200")
            .isEmpty();
        assertThat((long) answers.size()).isEqualTo(load.sent());
        // and the failed cluster served nothing after it failed (allowing for answers in flight)
        assertThat(load.clustersSince(failedAt + Duration.ofMillis(100).toNanos()))
            .doesNotContainKey("eu-west-1")
            .containsKeys("us-east-1", "ap-south-1");
        // and the gateway tried it at all only within the first second
        assertThat(upstreamErrors(metrics, "eu-west-1"))
            .as("attempts on eu-west-1 (each one fails) after the first second")
            .isEqualTo(attemptsAtOff);
        assertThat(attemptsAtOff).as("eu-west-1's failures were seen").isPositive();
        assertThat(load.clustersSince(offAt).keySet()).isEqualTo(Set.of("us-east-1", "ap-south-1"));
      }
    }
  }

  private static void awaitAnswersFromEveryCluster(HttpLoad load) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (load.clustersSince(0).size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(load.clustersSince(0).keySet())
        .as("clusters answering before the failure")
        .containsExactlyInAnyOrder("eu-west-1", "us-east-1", "ap-south-1");
  }

  /** The gateway's failed attempts on {@code cluster}'s endpoints, of every kind. */
  private static double upstreamErrors(MeterRegistry metrics, String cluster) {
    return metrics
        .find("meridian.gateway.upstream.errors")
        .tag("cluster", cluster)
        .counters()
        .stream()
        .collect(Collectors.summingDouble(Counter::count));
  }
}
