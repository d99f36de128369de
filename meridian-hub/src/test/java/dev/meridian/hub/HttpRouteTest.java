package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway API HTTPRoutes on the hub, with the real HTTPRoute CRD of Gateway API v1.6.3: one whose
 * parentRefs name a Meridian gateway becomes a GlobalRoute and is told so in its status; one with a
 * field Meridian cannot honour becomes nothing and is told which field; another controller's route
 * is left alone.
 */
class HttpRouteTest {
  static final String ROUTES = "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes";
  static final String GLOBAL_ROUTES =
      "/apis/network.meridian.dev/v1alpha1/namespaces/default/globalroutes";

  @TempDir Path dir;
  Hub hub;
  TestClient client;

  @BeforeEach
  void start() throws IOException {
    hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0));
    client = TestClient.of(hub);
    try (InputStream in =
        getClass().getResourceAsStream("/gateway-api/gateway.networking.k8s.io_httproutes.yaml")) {
      String crd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      var created = client.postYaml("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
      assertThat(created.code()).as(created.body()).isEqualTo(201);
    }
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  static String route(String name, String parentRefs, String rule) {
    return """
        {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute",
         "metadata":{"name":"%s","namespace":"default"},
         "spec":{"parentRefs":%s,"hostnames":["shop.example.com"],"rules":[%s]}}"""
        .formatted(name, parentRefs, rule);
  }

  static final String EDGE =
      "[{\"group\":\"network.meridian.dev\",\"kind\":\"Gateway\",\"name\":\"edge\"}]";
  static final String RULE =
      """
      {"matches":[{"path":{"type":"PathPrefix","value":"/api"}}],
       "filters":[{"type":"RequestHeaderModifier","requestHeaderModifier":{"set":[{"name":"X-Via","value":"meridian"}]}}],
       "backendRefs":[{"group":"","kind":"Service","name":"web","port":80,"weight":3}]}""";

  @Test
  void aRouteForAMeridianGatewayBecomesAGlobalRouteAndGoesWithIt() throws Exception {
    // When
    var created = client.post(ROUTES, route("web", EDGE, RULE));
    // Then
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    JsonNode gr = await(GLOBAL_ROUTES + "/httproute-web", o -> true);
    assertThat(gr.path("spec").path("gateways").toString()).isEqualTo("[\"edge\"]");
    assertThat(gr.path("spec").path("hostnames").toString()).isEqualTo("[\"shop.example.com\"]");
    JsonNode backend = gr.path("spec").path("rules").path(0).path("backendRefs").path(0);
    assertThat(backend.toString())
        .isEqualTo("{\"kind\":\"Service\",\"name\":\"web\",\"port\":80,\"weight\":3}");
    assertThat(gr.path("spec").path("rules").path(0).path("filters").path(0).path("type").asText())
        .isEqualTo("RequestHeaderModifier");
    assertThat(gr.path("metadata").path("ownerReferences").path(0).path("kind").asText())
        .isEqualTo("HTTPRoute");
    JsonNode route = await(ROUTES + "/web", r -> accepted(r).equals("True"));
    JsonNode parent = route.path("status").path("parents").path(0);
    assertThat(parent.path("controllerName").asText())
        .isEqualTo("network.meridian.dev/gateway-controller");
    assertThat(parent.path("parentRef").path("name").asText()).isEqualTo("edge");

    // When the HTTPRoute changes, so does the GlobalRoute
    var patched =
        client.patch(
            ROUTES + "/web",
            "{\"spec\":{\"hostnames\":[\"www.example.com\"]}}",
            "application/merge-patch+json");
    assertThat(patched.code()).as(patched.body()).isEqualTo(200);
    await(
        GLOBAL_ROUTES + "/httproute-web",
        o -> o.path("spec").path("hostnames").toString().equals("[\"www.example.com\"]"));

    // When it is deleted, the GlobalRoute goes too
    assertThat(client.delete(ROUTES + "/web").code()).isEqualTo(200);
    awaitGone(GLOBAL_ROUTES + "/httproute-web");
  }

  @Test
  void aFieldMeridianCannotHonourIsNamedAndNothingIsServed() throws Exception {
    // Given a rule with session persistence and a backend of another kind
    String rule =
        """
        {"sessionPersistence":{"sessionName":"s"},
         "backendRefs":[{"group":"example.com","kind":"Bucket","name":"b","port":80}]}""";
    // When
    var created = client.post(ROUTES, route("odd", EDGE, rule));
    // Then
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    JsonNode route = await(ROUTES + "/odd", r -> accepted(r).equals("False"));
    JsonNode accepted = route.path("status").path("parents").path(0).path("conditions").path(0);
    assertThat(accepted.path("reason").asText()).isEqualTo("UnsupportedValue");
    assertThat(accepted.path("message").asText())
        .contains("spec.rules[0].sessionPersistence")
        .contains("spec.rules[0].backendRefs[0].kind");
    assertThat(client.get(GLOBAL_ROUTES + "/httproute-odd").code()).isEqualTo(404);
  }

  @Test
  void anotherControllersRouteIsLeftAlone() throws Exception {
    // Given a route of a Gateway that is not Meridian's, and one of Meridian's to know when the
    // controller has run
    String other =
        "[{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"name\":\"x\"}]";
    assertThat(client.post(ROUTES, route("theirs", other, RULE)).code()).isEqualTo(201);
    assertThat(client.post(ROUTES, route("ours", EDGE, RULE)).code()).isEqualTo(201);
    // When Meridian's is served
    await(GLOBAL_ROUTES + "/httproute-ours", o -> true);
    await(ROUTES + "/ours", r -> accepted(r).equals("True"));
    // Then the other has neither a GlobalRoute nor a status entry of Meridian's
    assertThat(client.get(GLOBAL_ROUTES + "/httproute-theirs").code()).isEqualTo(404);
    JsonNode theirs = ResourceCodec.JSON.readTree(client.get(ROUTES + "/theirs").body());
    assertThat(theirs.path("status").path("parents").size()).isZero();
  }

  private static String accepted(JsonNode route) {
    for (JsonNode c : route.path("status").path("parents").path(0).path("conditions")) {
      if (c.path("type").asText().equals("Accepted")) {
        return c.path("status").asText();
      }
    }
    return "";
  }

  private JsonNode await(String path, Predicate<JsonNode> ok) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      var r = client.get(path);
      last = r.code() + " " + r.body();
      if (r.code() == 200) {
        JsonNode obj = ResourceCodec.JSON.readTree(r.body());
        if (ok.test(obj)) {
          return obj;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting for " + path + "; last: " + last);
  }

  private void awaitGone(String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (client.get(path).code() == 404) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(path + " still there");
  }
}
