package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceTypes;
import org.junit.jupiter.api.Test;

class DescriberTest {
  static final ResourceTypes TYPES = ResourceTypes.standard();

  @Test
  void describesAClusterWithItsConditionsAsATable() {
    // Given a cluster with status
    String yaml =
        """
        apiVersion: fleet.meridian.dev/v1alpha1
        kind: Cluster
        metadata:
          name: eu-west-1
          labels: {ring: prod, tier: gold}
          annotations: {note: hello}
          creationTimestamp: "2026-03-05T11:00:00Z"
          resourceVersion: "7"
          generation: 1
          finalizers: [fleet.meridian.dev/cleanup]
        spec:
          connection: {simulated: {apiLatencyMs: 20}}
        status:
          conditions:
            - {type: Ready, status: "True", reason: Healthy, lastTransitionTime: "2026-03-05T11:00:05Z"}
          kubernetesVersion: v1.37.2
        """;

    // When it is described
    String text =
        Describer.describe(
            ResourceCodec.readDocuments(yaml).get(0), TYPES.resolve("mc").orElseThrow());

    // Then
    assertThat(text)
        .isEqualTo(
            """
            Name:         eu-west-1
            Labels:       ring=prod
                          tier=gold
            Annotations:  note: hello
            API Version:  fleet.meridian.dev/v1alpha1
            Kind:         Cluster
            Metadata:
              Creation Timestamp:  2026-03-05T11:00:00Z
              Resource Version:    7
              Generation:          1
              Finalizers:          fleet.meridian.dev/cleanup
            Spec:
              connection:
                simulated:
                  apiLatencyMs: 20
            Status:
              Conditions:
                TYPE    STATUS   REASON    MESSAGE   LAST TRANSITION
                Ready   True     Healthy             2026-03-05T11:00:05Z
              kubernetesVersion: v1.37.2
            """);
  }

  @Test
  void showsOnlyTheSizesOfASecretsValues() {
    // Given a secret
    String yaml =
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\ntype: Opaque\n"
            + "data: {password: c2VjcmV0LXZhbHVl}\nstringData: {token: plain-token}\n";

    // When it is described
    String text =
        Describer.describe(
            ResourceCodec.readDocuments(yaml).get(0), TYPES.resolve("secret").orElseThrow());

    // Then the values never appear
    assertThat(text)
        .contains("Type:         Opaque\n")
        .contains("Data:\n  password: 12 bytes\n")
        .contains("String Data:\n  token: 11 bytes\n")
        .doesNotContain("c2VjcmV0", "secret-value", "plain-token");
  }

  static final String ROUTE =
      """
      apiVersion: network.meridian.dev/v1alpha1
      kind: GlobalRoute
      metadata: {name: web, namespace: shop, creationTimestamp: "2026-03-05T11:00:00Z"}
      spec:
        hostnames: [shop.example.com]
        rules: [{backendRefs: [{name: web, port: 80}, {name: api, port: 8080}]}]
      status:
        backends:
        - kind: Service
          name: web
          port: 80
          endpoints:
          - {cluster: eu-west-1, address: 127.0.0.1, port: 41234, ready: true, clusterReady: true}
          - {cluster: eu-west-1, address: 127.0.0.2, port: 41234, ready: true, clusterReady: true}
          - {cluster: us-east-1, address: 127.0.0.1, port: 41235, ready: true, clusterReady: false}
        - {kind: Service, name: api, port: 8080, endpoints: []}
        residency: [{value: eu, residencyPolicy: gdpr, allowedClusters: [eu-west-1]}]
      """;

  @Test
  void describesAGlobalRouteWithTheClustersBehindEachBackend() {
    // When
    String text =
        Describer.describe(
            ResourceCodec.readDocuments(ROUTE).get(0), TYPES.resolve("gr").orElseThrow());

    // Then
    assertThat(text)
        .contains(
            """
            Status:
              Backends:
                BACKEND            CLUSTER     ENDPOINTS   CLUSTER READY
                Service web:80     eu-west-1   2           True
                Service web:80     us-east-1   1           False
                Service api:8080   <none>      0
            """)
        .contains("residencyPolicy: gdpr");
  }

  @Test
  void listsGlobalRoutesWithTheirHostnamesBackendsEndpointsAndClusters() {
    // Given
    var route = ResourceCodec.readDocuments(ROUTE).get(0);
    var columns =
        dev.meridian.api.TableColumns.forType(
            TYPES.resolve("gr").orElseThrow(), java.time.Instant.parse("2026-03-05T12:00:00Z"));

    // When
    java.util.List<String> cells = new java.util.ArrayList<>();
    java.util.List<String> names = new java.util.ArrayList<>();
    for (var c : columns) {
      if (!c.wide()) {
        names.add(c.name());
        cells.add(c.cell().apply(route));
      }
    }

    // Then
    assertThat(names)
        .containsExactly("Name", "Hostnames", "Backends", "Endpoints", "Clusters", "Age");
    assertThat(cells).containsExactly("web", "shop.example.com", "2", "3", "2", "60m");
  }
}
