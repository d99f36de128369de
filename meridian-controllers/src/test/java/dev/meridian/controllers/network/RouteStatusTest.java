package dev.meridian.controllers.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.scheduler.ClusterView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a route's status says, from the fleet and the members' Services and slices. */
class RouteStatusTest {
  static final Instant NOW = Instant.parse("2026-03-05T11:00:00Z");

  static ObjectNode yaml(String text) {
    return ResourceCodec.readDocuments(text).get(0);
  }

  static RouteStatus.Member member(String name, String region, boolean ready, boolean synced) {
    return new RouteStatus.Member(
        new ClusterView(
            name,
            Map.of(),
            new Cluster.Location(region, region + "-a", "DE", null),
            List.of(),
            null,
            null,
            null,
            null),
        ready,
        synced);
  }

  /** Members' Services and slices, by cluster. */
  static final class Fake implements RouteStatus.Endpoints {
    final Map<String, JsonNode> ports = new HashMap<>();
    final Map<String, List<ObjectNode>> slices = new HashMap<>();

    Fake service(String cluster, String name, String portsJson) {
      ports.put(cluster + "/" + name, yaml(portsJson).get("ports"));
      return this;
    }

    Fake slice(String cluster, String service, String json) {
      slices.computeIfAbsent(cluster + "/" + service, k -> new ArrayList<>()).add(yaml(json));
      return this;
    }

    @Override
    public Optional<JsonNode> servicePorts(String cluster, String namespace, String name) {
      return Optional.ofNullable(ports.get(cluster + "/" + name));
    }

    @Override
    public List<ObjectNode> slices(String cluster, String namespace, String service) {
      return slices.getOrDefault(cluster + "/" + service, List.of());
    }
  }

  static List<String> endpoints(JsonNode backend) {
    List<String> out = new ArrayList<>();
    backend
        .path("endpoints")
        .forEach(
            e ->
                out.add(
                    e.path("cluster").asText()
                        + "="
                        + e.path("address").asText()
                        + ":"
                        + e.path("port").asInt()));
    return out;
  }

  @Test
  void readyAddressesWithTheSlicePortOfTheServicePortsNameSortedPerBackend() {
    // Given a route with a backend restricted to one cluster, the same Service unrestricted in a
    // mirror, and another Service whose slice has one unnamed port
    ObjectNode route =
        yaml(
            """
            apiVersion: network.meridian.dev/v1alpha1
            kind: GlobalRoute
            metadata: {name: web, namespace: shop, generation: 3}
            spec:
              rules:
              - backendRefs: [{name: web, port: 80, clusters: [b]}, {name: api, port: 8080}]
                filters: [{type: RequestMirror, requestMirror: {backendRef: {name: web, port: 80}}}]
              - backendRefs: [{kind: Static, name: legacy, endpoints: [{address: 192.0.2.1, port: 80}]}]
            """);
    Fake members =
        new Fake()
            .service("a", "web", "{ports: [{name: metrics, port: 9090}, {name: http, port: 80}]}")
            .service("b", "web", "{ports: [{name: http, port: 80}]}")
            .slice(
                "a",
                "web",
                """
                {ports: [{name: metrics, port: 9091}, {name: http, port: 8080}],
                 endpoints: [{addresses: [10.0.0.2]}, {addresses: [10.0.0.1], conditions: {ready: true}},
                             {addresses: [10.0.0.9], conditions: {ready: false}}]}""")
            .slice(
                "b",
                "web",
                "{ports: [{name: http, port: 8081}], endpoints: [{addresses: [10.1.0.1]}]}")
            .service("a", "api", "{ports: [{port: 8080}]}")
            .slice("a", "api", "{ports: [{port: 7000}], endpoints: [{addresses: [10.0.1.1]}]}");

    // When
    JsonNode status =
        RouteStatus.compute(
            route,
            List.of(member("a", "eu-west", true, true), member("b", "us-east", false, true)),
            members,
            Map.of(),
            NOW);

    // Then: one entry per Service and port, by name; the restricted ref and the mirror share it
    JsonNode backends = status.path("backends");
    assertThat(backends.size()).isEqualTo(2);
    assertThat(backends.path(0).path("name").asText()).isEqualTo("api");
    assertThat(endpoints(backends.path(0))).containsExactly("a=10.0.1.1:7000");
    assertThat(backends.path(1).path("name").asText()).isEqualTo("web");
    assertThat(endpoints(backends.path(1)))
        .containsExactly("a=10.0.0.1:8080", "a=10.0.0.2:8080", "b=10.1.0.1:8081");
    JsonNode b = backends.path(1).path("endpoints").path(2);
    assertThat(b.path("region").asText()).isEqualTo("us-east");
    assertThat(b.path("zone").asText()).isEqualTo("us-east-a");
    assertThat(b.path("clusterReady").asBoolean()).isFalse();
    assertThat(status.path("observedGeneration").asLong()).isEqualTo(3);
    assertThat(status.path("conditions").path(1).path("status").asText()).isEqualTo("True");
    assertThat(status.path("conditions").path(1).path("lastTransitionTime").asText())
        .isEqualTo("2026-03-05T11:00:00Z");
    assertThat(status.has("residency")).isFalse();
  }

  @Test
  void aMemberNotListedYetKeepsWhatTheStatusSaidAndClaimsNothingMissing() {
    // Given a status from before a restart
    ObjectNode route =
        yaml(
            """
            apiVersion: network.meridian.dev/v1alpha1
            kind: GlobalRoute
            metadata: {name: web, namespace: shop, generation: 1}
            spec: {rules: [{backendRefs: [{name: web, port: 80}]}]}
            status:
              backends:
              - kind: Service
                name: web
                port: 80
                endpoints: [{cluster: a, address: 10.0.0.1, port: 8080, ready: true, clusterReady: true}]
            """);

    // When member a has not listed yet, and is not ready
    JsonNode status =
        RouteStatus.compute(
            route, List.of(member("a", "eu-west", false, false)), new Fake(), Map.of(), NOW);

    // Then
    assertThat(endpoints(status.path("backends").path(0))).containsExactly("a=10.0.0.1:8080");
    assertThat(
            status
                .path("backends")
                .path(0)
                .path("endpoints")
                .path(0)
                .path("clusterReady")
                .asBoolean())
        .isFalse();
    assertThat(status.path("conditions").path(1).path("status").asText()).isEqualTo("True");
  }

  @Test
  void aServiceWithoutThePortIsNotResolved() {
    // Given
    ObjectNode route =
        yaml(
            """
            apiVersion: network.meridian.dev/v1alpha1
            kind: GlobalRoute
            metadata: {name: web, namespace: shop}
            spec: {rules: [{backendRefs: [{name: web, port: 443}]}]}
            """);
    Fake members = new Fake().service("a", "web", "{ports: [{name: http, port: 80}]}");

    // When
    JsonNode status =
        RouteStatus.compute(route, List.of(member("a", "r", true, true)), members, Map.of(), NOW);

    // Then
    JsonNode resolved = status.path("conditions").path(1);
    assertThat(resolved.path("status").asText()).isEqualTo("False");
    assertThat(resolved.path("reason").asText()).isEqualTo("BackendNotFound");
    assertThat(resolved.path("message").asText()).contains("Service shop/web has no port 443 in a");
  }
}
