package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sample shop behind its GlobalRoute on the sample fleet, whose simulated clusters serve real
 * HTTP ({@code servePods: true}): the route's status lists one endpoint per cluster the Deployment
 * runs in, each answers with its cluster's name, and a failed cluster's endpoint refuses
 * connections until it recovers.
 */
class GlobalRouteSimulatedTest extends SampleFleetTest {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  JsonNode awaitRoute(String name, String what, java.util.function.Predicate<JsonNode> ok)
      throws Exception {
    return fleet.await("route " + name + " " + what, ok, "globalroute", name, "-n", "shop");
  }

  static List<JsonNode> endpoints(JsonNode route) {
    List<JsonNode> out = new ArrayList<>();
    route.path("status").path("backends").path(0).path("endpoints").forEach(out::add);
    return out;
  }

  static HttpResponse<String> get(JsonNode endpoint) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://"
                        + endpoint.path("address").asText()
                        + ":"
                        + endpoint.path("port").asInt()
                        + "/"))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Whether the endpoint refuses connections. */
  static boolean refuses(JsonNode endpoint) throws InterruptedException {
    try {
      get(endpoint);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void eachClusterOfTheShopServesItsOwnNameAndAFailedOneRefusesUntilItRecovers() throws Exception {
    // Given the sample shop (Deployment 2:1 on eu-west-1 and us-east-1, its Service, the route)
    apply(Files.readString(Path.of("..", "examples", "shop.yaml")));

    // Then the route has one ready endpoint in each cluster the Deployment runs in
    JsonNode route =
        awaitRoute(
            "web",
            "an endpoint per cluster",
            r ->
                endpoints(r).size() == 2
                    && endpoints(r).stream().allMatch(e -> e.path("clusterReady").asBoolean()));
    List<JsonNode> eps = endpoints(route);
    assertThat(eps)
        .extracting(e -> e.path("cluster").asText())
        .containsExactly("eu-west-1", "us-east-1");
    assertThat(eps)
        .extracting(e -> e.path("region").asText())
        .containsExactly("eu-west", "us-east");
    assertThat(eps).extracting(e -> e.path("address").asText()).containsOnly("127.0.0.1");

    // and each answers with its own cluster's name
    for (JsonNode ep : eps) {
      HttpResponse<String> answer = get(ep);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("X-Meridian-Cluster"))
          .contains(ep.path("cluster").asText());
      assertThat(answer.body())
          .contains("\"cluster\":\"" + ep.path("cluster").asText() + "\"")
          .contains("\"service\":\"shop/web\"");
    }

    // and the CLI shows it
    Main.Result table = run("get", "gr", "-n", "shop");
    assertThat(table.out().lines().findFirst().orElse(""))
        .containsSubsequence("NAME", "HOSTNAMES", "BACKENDS", "ENDPOINTS", "CLUSTERS", "AGE");
    assertThat(table.out().lines().skip(1).findFirst().orElse("").split("\\s+"))
        .startsWith("web", "*", "1", "2", "2");
    Main.Result described = run("describe", "gr", "web", "-n", "shop");
    assertThat(described.out())
        .contains("Backends:")
        .containsPattern("Service web:80 +eu-west-1 +1 +True");

    // When eu-west-1 fails, its endpoint refuses connections; us-east-1 still answers
    JsonNode eu = eps.get(0);
    assertThat(run("sim", "fail", "eu-west-1").code()).isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!refuses(eu) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(refuses(eu)).isTrue();
    assertThat(get(eps.get(1)).body()).contains("us-east-1");
    awaitRoute(
        "web",
        "eu-west-1 not ready",
        r -> endpoints(r).size() == 2 && !endpoints(r).get(0).path("clusterReady").asBoolean());

    // When it recovers, the same endpoint answers again: the outage was shorter than the default
    // failover toleration, so nothing was evicted or moved
    assertThat(run("sim", "recover", "eu-west-1").code()).isZero();
    deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (refuses(eu) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(get(eu).body()).contains("\"cluster\":\"eu-west-1\"");
    JsonNode binding = fleet.await("the binding", b -> true, "rb", "web-deployment", "-n", "shop");
    assertThat(binding.path("spec").path("clusters").toString())
        .contains("{\"name\":\"eu-west-1\",\"replicas\":4}");
  }

  @Test
  void aRouteNamingAnUnknownResidencyPolicyIsNotResolved() throws Exception {
    // When
    apply(
        """
        apiVersion: network.meridian.dev/v1alpha1
        kind: GlobalRoute
        metadata: {name: eu-only, namespace: shop}
        spec:
          rules: [{backendRefs: [{name: web, port: 80}]}]
          residency:
            header: X-Data-Residency
            policies: [{value: eu, residencyPolicy: gdpr-nowhere}, {value: de, residencyPolicy: gdpr-eu-personal-data}]
        """);

    // Then
    JsonNode route =
        awaitRoute(
            "eu-only",
            "ResolvedRefs False",
            r ->
                r.path("status").path("conditions").toString().contains("ResidencyPolicyNotFound"));
    JsonNode resolved = null;
    for (JsonNode c : route.path("status").path("conditions")) {
      if (c.path("type").asText().equals("ResolvedRefs")) {
        resolved = c;
      }
    }
    assertThat(resolved).isNotNull();
    assertThat(resolved.path("status").asText()).isEqualTo("False");
    assertThat(resolved.path("message").asText()).contains("gdpr-nowhere");
    assertThat(route.path("status").path("residency").toString())
        .contains("{\"value\":\"eu\",\"residencyPolicy\":\"gdpr-nowhere\",\"allowedClusters\":[]}")
        .contains(
            "{\"value\":\"de\",\"residencyPolicy\":\"gdpr-eu-personal-data\",\"allowedClusters\":[\"eu-west-1\"]}");
  }
}
