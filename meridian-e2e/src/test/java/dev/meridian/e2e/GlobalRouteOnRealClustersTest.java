package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.app.Main;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import dev.meridian.members.RealClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GlobalRoute controller on a real Kubernetes API server: a Service and an EndpointSlice made
 * in the member with kubectl become the route's status.backends, and an address taken out of the
 * slice leaves the status.
 */
class GlobalRouteOnRealClustersTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static RealClusters real;
  static Hub hub;
  static String c1;

  @BeforeAll
  static void start() throws Exception {
    real = RealClusters.start(1, RealClusters.Options.defaults());
    hub =
        Hub.start(
            HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0)
                .withHealth(Duration.ofMillis(500), Duration.ofSeconds(4)));
    c1 = real.get(0).name();
    Main.Result join =
        meridian(
            "join",
            c1,
            "--kubeconfig",
            real.cluster(c1).kubeconfig().toString(),
            "--country",
            "DE",
            "--region",
            "eu-west");
    assertThat(join.code()).as(join.err()).isZero();
    await(
        "cluster " + c1 + " Ready",
        () -> meridian("get", "cluster", c1, "-o", "json").out(),
        s -> s.contains("\"Healthy\""));
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

  static Main.Result kubectl(String... args) throws Exception {
    return E2e.kubectl(dir, real.kubectl(), real.cluster(c1).kubeconfig(), args);
  }

  static void kubectlApply(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "member", ".yaml");
    Files.writeString(f, yaml);
    Main.Result r = kubectl("apply", "-f", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
  }

  static String await(String what, E2e.Probe probe, Predicate<String> ok) throws Exception {
    return E2e.await(what, WAIT, probe, ok);
  }

  static JsonNode route() throws Exception {
    Main.Result r = meridian("get", "gr", "web", "-n", "shop", "-o", "json");
    return r.code() == 0 ? ResourceCodec.JSON.readTree(r.out()) : ResourceCodec.newObject();
  }

  /** The route's endpoints, {@code CLUSTER=ADDRESS:PORT ready}, space-separated. */
  static String endpoints() throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode ep : route().path("status").path("backends").path(0).path("endpoints")) {
      out.add(
          ep.path("cluster").asText()
              + "="
              + ep.path("address").asText()
              + ":"
              + ep.path("port").asInt()
              + (ep.path("ready").asBoolean() ? " ready" : " not-ready"));
    }
    return String.join(" ", out);
  }

  static String slice(String endpoints) {
    return """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-manual
          namespace: shop
          labels: {kubernetes.io/service-name: web, endpointslice.kubernetes.io/managed-by: e2e.meridian.dev}
        addressType: IPv4
        ports: [{name: http, port: 8080, protocol: TCP}]
        endpoints: %s
        """
        .formatted(endpoints);
  }

  @Test
  void aHandMadeEndpointSliceInARealMemberBecomesTheRoutesBackend() throws Exception {
    // Given a Service and its slice in the member, made with kubectl
    assertThat(kubectl("create", "namespace", "shop").code()).isZero();
    kubectlApply(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          ports: [{name: http, port: 80, targetPort: 8080}]
        """);
    kubectlApply(
        slice(
            "[{addresses: [10.20.0.7], conditions: {ready: true}},"
                + " {addresses: [10.20.0.8], conditions: {ready: true}}]"));
    Path route = Files.createTempFile(dir, "route", ".yaml");
    Files.writeString(
        route,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: network.meridian.dev/v1alpha1
        kind: GlobalRoute
        metadata: {name: web, namespace: shop}
        spec:
          rules: [{backendRefs: [{name: web, port: 80}]}]
        """);

    // When
    Main.Result applied = meridian("apply", "-f", route.toString());
    assertThat(applied.code()).as(applied.err()).isZero();

    // Then
    await(
        "both addresses in the route's status",
        GlobalRouteOnRealClustersTest::endpoints,
        s -> s.equals(c1 + "=10.20.0.7:8080 ready " + c1 + "=10.20.0.8:8080 ready"));
    JsonNode status = route();
    JsonNode ep = status.path("status").path("backends").path(0).path("endpoints").path(0);
    assertThat(ep.path("region").asText()).isEqualTo("eu-west");
    assertThat(ep.path("country").asText()).isEqualTo("DE");
    assertThat(ep.path("clusterReady").asBoolean()).isTrue();
    assertThat(status.path("status").path("conditions").toString())
        .contains("\"type\":\"ResolvedRefs\",\"status\":\"True\"");

    // When one address leaves the slice
    kubectlApply(slice("[{addresses: [10.20.0.8], conditions: {ready: true}}]"));

    // Then it leaves the status
    await(
        "10.20.0.7 gone from the route's status",
        GlobalRouteOnRealClustersTest::endpoints,
        s -> s.equals(c1 + "=10.20.0.8:8080 ready"));
  }
}
