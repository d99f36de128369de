package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.ResourceRef;
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
 * The GlobalRoute controller on simulated clusters: the EndpointSlices of a Service in each member
 * become the route's status.backends, residency rules list their allowed clusters, and names of
 * nothing turn ResolvedRefs False.
 */
class GlobalRouteStatusTest {
  static final String CLUSTERS = HubApiTest.CLUSTERS;
  static final String GR = "/apis/network.meridian.dev/v1alpha1/namespaces/shop/globalroutes";

  @TempDir Path dir;
  Hub hub;
  TestClient client;

  @BeforeEach
  void start() {
    hub =
        Hub.start(
            HubOptions.of(dir, "127.0.0.1", 0)
                .withHealth(Duration.ofMillis(200), Duration.ofSeconds(2)));
    client = TestClient.of(hub);
    client.post(
        "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  MemberCluster member(String name) {
    return hub.members().member((ObjectNode) client.get(CLUSTERS + "/" + name).json());
  }

  static ObjectNode json(String text) {
    return (ObjectNode) ResourceCodec.readDocuments(text).get(0);
  }

  /** A Service web (port 80 named http) and its slice in a member, with the given addresses. */
  static void serve(MemberCluster m, int port, String... readyAddresses) {
    m.apply(
        json("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}"));
    m.apply(
        json(
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"shop"},
             "spec":{"selector":{"app":"web"},"ports":[{"name":"metrics","port":9090},{"name":"http","port":80,"targetPort":8080}]}}"""));
    StringBuilder eps = new StringBuilder();
    for (String a : readyAddresses) {
      eps.append(eps.isEmpty() ? "" : ",")
          .append("{\"addresses\":[\"")
          .append(a)
          .append("\"],\"conditions\":{\"ready\":true}}");
    }
    m.apply(
        json(
            """
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",
             "metadata":{"name":"web-abc","namespace":"shop","labels":{"kubernetes.io/service-name":"web"}},
             "addressType":"IPv4",
             "endpoints":[%s,{"addresses":["10.9.9.9"],"conditions":{"ready":false}}],
             "ports":[{"name":"metrics","port":9091},{"name":"http","port":%d}]}"""
                .formatted(eps, port)));
  }

  JsonNode awaitRoute(String name, String what, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = client.get(GR + "/" + name).json();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("route " + name + " never had " + what + "; last seen: " + last);
  }

  static List<String> endpoints(JsonNode route) {
    List<String> out = new ArrayList<>();
    for (JsonNode ep : route.path("status").path("backends").path(0).path("endpoints")) {
      out.add(
          ep.path("cluster").asText()
              + "="
              + ep.path("address").asText()
              + ":"
              + ep.path("port").asInt());
    }
    return out;
  }

  static JsonNode condition(JsonNode route, String type) {
    for (JsonNode c : route.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return ResourceCodec.newObject();
  }

  @Test
  void theSlicesOfEveryMemberBecomeTheRoutesBackendsAndFollowTheirChanges() throws Exception {
    // Given two clusters, each with the Service and a slice
    client.post(CLUSTERS, HubApiTest.cluster("eu-west-1", "DE"));
    client.post(CLUSTERS, HubApiTest.cluster("us-east-1", "US"));
    serve(member("eu-west-1"), 8080, "10.0.0.1", "10.0.0.2");
    serve(member("us-east-1"), 8081, "10.1.0.1");
    client.post(
        "/apis/policy.meridian.dev/v1alpha1/residencypolicies",
        """
        {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"ResidencyPolicy","metadata":{"name":"gdpr"},
         "spec":{"resourceSelector":{"matchLabels":{"x":"y"}},"allowedLocations":{"countries":["DE","FR"]}}}""");

    // When
    var created =
        client.post(
            GR,
            """
            {"apiVersion":"network.meridian.dev/v1alpha1","kind":"GlobalRoute","metadata":{"name":"web"},
             "spec":{"rules":[{"backendRefs":[{"name":"web","port":80}]}],
                     "residency":{"header":"X-Data-Residency","policies":[{"value":"eu","residencyPolicy":"gdpr"}]}}}""");
    assertThat(created.code()).as(created.body()).isEqualTo(201);

    // Then
    JsonNode route = awaitRoute("web", "three endpoints", r -> endpoints(r).size() == 3);
    assertThat(endpoints(route))
        .containsExactly(
            "eu-west-1=10.0.0.1:8080", "eu-west-1=10.0.0.2:8080", "us-east-1=10.1.0.1:8081");
    JsonNode backend = route.path("status").path("backends").path(0);
    assertThat(backend.path("kind").asText()).isEqualTo("Service");
    assertThat(backend.path("name").asText()).isEqualTo("web");
    assertThat(backend.path("port").asInt()).isEqualTo(80);
    JsonNode ep = backend.path("endpoints").path(0);
    assertThat(ep.path("region").asText()).isEqualTo("r-de");
    assertThat(ep.path("country").asText()).isEqualTo("DE");
    assertThat(ep.path("ready").asBoolean()).isTrue();
    route =
        awaitRoute(
            "web",
            "ready clusters",
            r ->
                r.path("status")
                    .path("backends")
                    .path(0)
                    .path("endpoints")
                    .path(2)
                    .path("clusterReady")
                    .asBoolean());
    assertThat(route.path("status").path("residency").toString())
        .isEqualTo(
            "[{\"value\":\"eu\",\"residencyPolicy\":\"gdpr\",\"allowedClusters\":[\"eu-west-1\"]}]");
    assertThat(condition(route, "Accepted").path("status").asText()).isEqualTo("True");
    assertThat(condition(route, "ResolvedRefs").path("status").asText()).isEqualTo("True");
    assertThat(condition(route, "ResolvedRefs").path("lastTransitionTime").asText()).endsWith("Z");
    assertThat(route.path("status").path("observedGeneration").asLong()).isEqualTo(1);

    // When an address leaves a member's slice, the status follows within about a second
    long changed = System.nanoTime();
    serve(member("eu-west-1"), 8080, "10.0.0.2");
    route = awaitRoute("web", "two endpoints", r -> endpoints(r).size() == 2);
    long tookMs = (System.nanoTime() - changed) / 1_000_000;
    assertThat(endpoints(route))
        .containsExactly("eu-west-1=10.0.0.2:8080", "us-east-1=10.1.0.1:8081");
    assertThat(tookMs).isLessThan(2000); // about a second, with slack for a busy machine

    // When the slice is deleted, that cluster has no endpoint left
    member("us-east-1")
        .delete(new ResourceRef("discovery.k8s.io/v1", "EndpointSlice", "shop", "web-abc"));
    route = awaitRoute("web", "one endpoint", r -> endpoints(r).size() == 1);
    assertThat(endpoints(route)).containsExactly("eu-west-1=10.0.0.2:8080");

    // When a cluster fails, its endpoints stay but say their cluster is not ready
    client.patch(
        CLUSTERS + "/eu-west-1",
        "{\"spec\":{\"connection\":{\"simulated\":{\"failure\":\"Down\"}}}}",
        "application/merge-patch+json");
    route =
        awaitRoute(
            "web",
            "an unready cluster",
            r ->
                !r.path("status")
                    .path("backends")
                    .path(0)
                    .path("endpoints")
                    .path(0)
                    .path("clusterReady")
                    .asBoolean(true));
    assertThat(endpoints(route)).containsExactly("eu-west-1=10.0.0.2:8080");
  }

  @Test
  void namesOfNothingTurnResolvedRefsFalse() throws Exception {
    // Given
    client.post(CLUSTERS, HubApiTest.cluster("eu-west-1", "DE"));
    serve(member("eu-west-1"), 8080, "10.0.0.1");

    // When
    client.post(
        GR,
        """
        {"apiVersion":"network.meridian.dev/v1alpha1","kind":"GlobalRoute","metadata":{"name":"broken"},
         "spec":{"rules":[{"backendRefs":[{"name":"web","port":80,"clusters":["eu-west-1","mars-1"]},{"name":"nothing","port":80}]}],
                 "residency":{"header":"X-R","policies":[{"value":"eu","residencyPolicy":"no-such-policy"}]}}}""");

    // Then
    JsonNode route =
        awaitRoute(
            "broken",
            "ResolvedRefs False for the missing Service",
            // a Service is said missing only once the member's Services are listed
            r -> condition(r, "ResolvedRefs").path("message").asText().contains("shop/nothing"));
    JsonNode resolved = condition(route, "ResolvedRefs");
    assertThat(resolved.path("reason").asText()).isEqualTo("BackendNotFound");
    assertThat(resolved.path("message").asText())
        .contains("ClusterNotFound: backend Service web names cluster mars-1")
        .contains("BackendNotFound: Service shop/nothing is in no member cluster")
        .contains("ResidencyPolicyNotFound: ResidencyPolicy no-such-policy does not exist");
    assertThat(route.path("status").path("residency").path(0).path("allowedClusters").size())
        .isZero();
    // what does exist is still resolved
    assertThat(route.path("status").path("backends").toString()).contains("10.0.0.1");

    // When the missing policy is created, the route resolves it without any other change
    client.post(
        "/apis/policy.meridian.dev/v1alpha1/residencypolicies",
        """
        {"apiVersion":"policy.meridian.dev/v1alpha1","kind":"ResidencyPolicy","metadata":{"name":"no-such-policy"},
         "spec":{"resourceSelector":{"matchLabels":{"x":"y"}},"allowedLocations":{"regions":["r-de"]}}}""");
    route =
        awaitRoute(
            "broken",
            "the policy",
            r -> r.path("status").path("residency").path(0).path("allowedClusters").size() == 1);
    assertThat(condition(route, "ResolvedRefs").path("message").asText())
        .doesNotContain("ResidencyPolicyNotFound");
  }
}
