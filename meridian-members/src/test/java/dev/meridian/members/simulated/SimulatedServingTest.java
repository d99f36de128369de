package dev.meridian.members.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.RecordingListener;
import dev.meridian.members.ResourceRef;
import dev.meridian.members.WatchTarget;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code servePods: true}: Services of simulated workloads answer real HTTP requests. */
class SimulatedServingTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final SimulatedMembers SIM =
      SimulatedMembers.create(
          SimulatedMembers.Options.defaults().withStartDelay(Duration.ofMillis(100)));
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterAll
  static void closeFactory() {
    SIM.close();
  }

  static SimulatedMember cluster(String name, boolean servePods) {
    return SIM.create(
        name, new Cluster.Simulated(Map.of(), 0, null, null, servePods), "eu-west", "eu-west-1a");
  }

  static ObjectNode yaml(String text) {
    return ResourceCodec.readDocuments(text).get(0);
  }

  static ObjectNode deployment(String name, int replicas) {
    return yaml(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: default}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s, tier: front}}
            spec: {containers: [{name: web, image: nginx}]}
        """
            .formatted(name, replicas, name, name));
  }

  static ObjectNode service(String name, String app) {
    return yaml(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: default}
        spec:
          selector: {app: %s}
          ports: [{name: http, port: 80, targetPort: 8080}]
        """
            .formatted(name, app));
  }

  static ResourceRef sliceRef(String service) {
    return new ResourceRef("discovery.k8s.io/v1", "EndpointSlice", "default", service + "-sim");
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static boolean readyEndpoint(JsonNode slice) {
    return slice.path("endpoints").path(0).path("conditions").path("ready").asBoolean(false);
  }

  @Test
  void aServiceOfAWorkloadIsServedAndReportedAsAnEndpointSlice() throws Exception {
    // Given
    SimulatedMember c = cluster("eu-west-1", true);
    RecordingListener events = new RecordingListener();
    MemberWatch watch =
        c.watch(WatchTarget.allNamespaces("discovery.k8s.io/v1", "EndpointSlice"), events);

    // When
    c.apply(deployment("web", 2));
    c.apply(service("web", "web"));

    // Then: the watch reports the slice, ready once a pod is
    JsonNode slice = awaitReadySlice(c, "web");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (events.eventsFor("web-sim").stream().noneMatch(e -> readyEndpoint(e.object()))
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(events.eventsFor("web-sim")).anyMatch(e -> readyEndpoint(e.object()));
    assertThat(slice.path("metadata").path("labels").path("kubernetes.io/service-name").asText())
        .isEqualTo("web");
    assertThat(
            slice
                .path("metadata")
                .path("labels")
                .path("endpointslice.kubernetes.io/managed-by")
                .asText())
        .isEqualTo("simulated.meridian.dev");
    assertThat(slice.path("addressType").asText()).isEqualTo("IPv4");
    assertThat(slice.path("endpoints").path(0).path("addresses").toString())
        .isEqualTo("[\"127.0.0.1\"]");
    assertThat(slice.path("ports").path(0).path("name").asText()).isEqualTo("http");
    int port = slice.path("ports").path(0).path("port").asInt();
    assertThat(c.get(sliceRef("web")).orElseThrow().path("ports")).isEqualTo(slice.path("ports"));

    // and a real server answers on that port
    HttpResponse<String> answer = get(port, "/anything?x=1");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("X-Meridian-Cluster")).contains("eu-west-1");
    assertThat(ResourceCodec.JSON.readTree(answer.body()))
        .isEqualTo(
            ResourceCodec.JSON.readTree(
                "{\"cluster\":\"eu-west-1\",\"region\":\"eu-west\",\"service\":\"default/web\"}"));
    assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
    watch.close();
    c.close();
  }

  @Test
  void aFailedClusterRefusesConnectionsAndServesOnTheSamePortAfterRecovering() throws Exception {
    // Given a served Service
    SimulatedMember c = cluster("us-east-1", true);
    c.apply(deployment("shop", 1));
    c.apply(service("shop", "shop"));
    int port = awaitReadySlice(c, "shop").path("ports").path(0).path("port").asInt();
    assertThat(get(port, "/").statusCode()).isEqualTo(200);

    // When the cluster fails
    c.fail();

    // Then nothing listens there
    assertThatThrownBy(() -> get(port, "/")).isInstanceOf(ConnectException.class);

    // When it recovers, the same port answers again
    c.recover();
    assertThat(get(port, "/").body()).contains("\"cluster\":\"us-east-1\"");
    assertThat(awaitReadySlice(c, "shop").path("ports").path(0).path("port").asInt())
        .isEqualTo(port);
    c.close();
  }

  @Test
  void deletingTheServiceOrScalingToZeroTakesTheEndpointAway() throws Exception {
    // Given
    SimulatedMember c = cluster("ap-south-1", true);
    c.apply(deployment("api", 1));
    c.apply(service("api", "api"));
    int port = awaitReadySlice(c, "api").path("ports").path(0).path("port").asInt();

    // When the workload has no ready pod, the endpoint is not ready
    c.apply(deployment("api", 0));
    assertThat(readyEndpoint(c.get(sliceRef("api")).orElseThrow())).isFalse();

    // When the Service is deleted, its slice and server go
    c.delete(new ResourceRef("v1", "Service", "default", "api"));
    assertThat(c.get(sliceRef("api"))).isEmpty();
    assertThatThrownBy(() -> get(port, "/")).isInstanceOf(ConnectException.class);
    c.close();
  }

  @Test
  void withoutServePodsNothingServes() {
    // Given
    SimulatedMember c = cluster("plain", false);

    // When
    c.apply(deployment("web", 1));
    c.apply(service("web", "web"));

    // Then
    assertThat(c.get(sliceRef("web"))).isEmpty();
    // a Service selecting no workload is not served either
    SimulatedMember serving = cluster("serving", true);
    serving.apply(service("orphan", "nobody"));
    assertThat(serving.get(sliceRef("orphan"))).isEmpty();
    c.close();
    serving.close();
  }

  static JsonNode awaitReadySlice(SimulatedMember c, String service) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ObjectNode> slice = c.get(sliceRef(service));
      if (slice.isPresent() && readyEndpoint(slice.get())) {
        return slice.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no ready EndpointSlice for " + service);
  }
}
