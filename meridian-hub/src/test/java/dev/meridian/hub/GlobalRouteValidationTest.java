package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GlobalRoutes are checked against their schema and beyond it, every problem with its field. */
class GlobalRouteValidationTest {
  static final String GR = "/apis/network.meridian.dev/v1alpha1/namespaces/default/globalroutes";

  @TempDir static Path dir;
  static Hub hub;
  static TestClient client;

  @BeforeAll
  static void start() {
    hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false));
    client = TestClient.of(hub);
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  static String route(String name, String spec) {
    return "{\"apiVersion\":\"network.meridian.dev/v1alpha1\",\"kind\":\"GlobalRoute\","
        + "\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":"
        + spec
        + "}";
  }

  static List<String> causes(TestClient.Response r) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : r.json().path("details").path("causes")) {
      out.add(c.path("field").asText() + ": " + c.path("message").asText());
    }
    return out;
  }

  @Test
  void acceptsTheRouteOfTheContract() {
    // Given: the example of docs/gateway.md, less its status
    String spec =
        """
        {"gateways":["edge"],"hostnames":["shop.example.com","*.shop.example"],
         "rules":[
          {"name":"api",
           "matches":[{"path":{"type":"PathPrefix","value":"/api"},"method":"GET",
                       "headers":[{"type":"Exact","name":"X-Env","value":"canary"}],
                       "queryParams":[{"type":"Exact","name":"debug","value":"1"}]}],
           "filters":[
            {"type":"RequestHeaderModifier","requestHeaderModifier":{"set":[{"name":"X-A","value":"b"}],"add":[{"name":"X-B","value":"c"}],"remove":["X-Debug"]}},
            {"type":"ResponseHeaderModifier","responseHeaderModifier":{"set":[],"add":[],"remove":[]}},
            {"type":"URLRewrite","urlRewrite":{"hostname":"internal.shop","path":{"type":"ReplacePrefixMatch","replacePrefixMatch":"/v2"}}},
            {"type":"RequestMirror","requestMirror":{"backendRef":{"kind":"Service","name":"web-next","port":80},"percent":10}}],
           "backendRefs":[
            {"kind":"Service","name":"web","port":80,"weight":3,"clusters":["eu-west-1","us-east-1"]},
            {"kind":"Static","name":"legacy","weight":1,"endpoints":[{"address":"192.0.2.10","port":8080,"cluster":"dc-1","region":"eu-west","zone":"","country":"DE","weight":1}]}],
           "timeouts":{"request":"15s","backendRequest":"5s"},
           "retry":{"attempts":3,"codes":[502,503,504]}},
          {"name":"old","matches":[{"path":{"type":"Exact","value":"/old"}}],
           "filters":[{"type":"RequestRedirect","requestRedirect":{"scheme":"https","hostname":"shop.example.com","port":443,
                       "path":{"type":"ReplaceFullPath","replaceFullPath":"/new"},"statusCode":302}}]}],
         "loadBalancing":{"policy":"RoundRobin","locality":"PreferClient",
                          "sessionPersistence":{"type":"Cookie","cookieName":"meridian-session","absoluteTimeout":"1h"}},
         "residency":{"header":"X-Data-Residency","policies":[{"value":"eu","residencyPolicy":"gdpr-eu-personal-data"}]},
         "healthCheck":{"path":"/healthz","interval":"1s","timeout":"500ms","unhealthyThreshold":2,"healthyThreshold":1},
         "outlierDetection":{"consecutiveFailures":3,"baseEjectionTime":"2s","maxEjectionTime":"60s","maxEjectionPercent":100},
         "circuitBreaker":{"maxConnections":1024,"maxPendingRequests":1024},
         "rateLimit":{"perRoute":{"requestsPerSecond":5000,"burst":10000},"perClient":{"requestsPerSecond":100,"burst":200}},
         "retryBudget":{"percent":20,"minPerSecond":10}}""";
    // When
    var created = client.post(GR, route("web", spec));
    // Then
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("spec").path("rules").size()).isEqualTo(2);
  }

  @Test
  void refusesUnknownFieldsBadEnumsAndOutOfRangeNumbers() {
    // When
    var bad =
        client.post(
            GR,
            route(
                "shape",
                """
                {"rules":[{"matchs":[],"backendRefs":[{"kind":"Pod","name":"web","port":70000,"weight":-1}],
                  "retry":{"attempts":11}}],
                 "loadBalancing":{"policy":"Fastest"},
                 "residency":{"header":"X-R","policies":[{"value":"eu","residencyPolicy":""}]}}"""));
    var noRules = client.post(GR, route("empty", "{}"));
    // Then
    assertThat(bad.code()).as(bad.body()).isEqualTo(422);
    assertThat(causes(bad))
        .anyMatch(c -> c.startsWith("spec.rules[0].matchs: unknown field \"matchs\""))
        .anyMatch(
            c -> c.startsWith("spec.rules[0].backendRefs[0].kind: Unsupported value: \"Pod\""))
        .anyMatch(c -> c.startsWith("spec.rules[0].backendRefs[0].port: must be less than"))
        .anyMatch(c -> c.startsWith("spec.rules[0].backendRefs[0].weight: must be greater than"))
        .anyMatch(c -> c.startsWith("spec.rules[0].retry.attempts:"))
        .anyMatch(c -> c.startsWith("spec.loadBalancing.policy: Unsupported value"))
        .anyMatch(c -> c.startsWith("spec.residency.policies[0].residencyPolicy:"));
    assertThat(noRules.code()).isEqualTo(422);
    assertThat(causes(noRules)).anyMatch(c -> c.startsWith("spec.rules: Required value"));
    assertThat(client.get(GR + "/shape").code()).isEqualTo(404);
  }

  @Test
  void refusesWhatTheSchemaCannotSayWithOneCausePerProblem() {
    // When
    var bad =
        client.post(
            GR,
            route(
                "semantics",
                """
                {"rules":[
                  {"name":"a","matches":[{"path":{"type":"RegularExpression","value":"/(unclosed"},
                                          "headers":[{"type":"RegularExpression","name":"X-A","value":"[a-"}],
                                          "queryParams":[{"type":"RegularExpression","name":"q","value":"*x"}]}],
                   "filters":[{"type":"RequestHeaderModifier","responseHeaderModifier":{"remove":["X"]}}],
                   "backendRefs":[{"kind":"Static","name":"s","port":80,"clusters":["x"]}],
                   "timeouts":{"request":"1.5s","backendRequest":"10 s"}},
                  {"name":"a","filters":[
                     {"type":"RequestRedirect","requestRedirect":{"statusCode":302}},
                     {"type":"URLRewrite","urlRewrite":{"hostname":"x"}}],
                   "backendRefs":[{"name":"web","endpoints":[{"address":"10.0.0.1","port":80}]}]},
                  {"matches":[{"path":{"type":"Exact","value":"/x"}}],
                   "filters":[{"type":"URLRewrite","urlRewrite":{"path":{"type":"ReplacePrefixMatch","replacePrefixMatch":"/y"}}}]}],
                 "healthCheck":{"interval":"soon"}}"""));
    var badCode =
        client.post(
            GR,
            route(
                "code",
                """
                {"rules":[{"filters":[{"type":"RequestRedirect","requestRedirect":{"statusCode":304}}]}]}"""));
    // Then
    assertThat(bad.code()).as(bad.body()).isEqualTo(422);
    assertThat(causes(bad))
        .anyMatch(c -> c.startsWith("spec.rules[0].matches[0].path.value: not a valid regular"))
        .anyMatch(
            c -> c.startsWith("spec.rules[0].matches[0].headers[0].value: not a valid regular"))
        .anyMatch(c -> c.startsWith("spec.rules[0].matches[0].queryParams[0].value: not a valid"))
        .anyMatch(
            c -> c.startsWith("spec.rules[0].filters[0].responseHeaderModifier: must not be set"))
        .anyMatch(c -> c.startsWith("spec.rules[0].filters[0].requestHeaderModifier: Required"))
        .anyMatch(c -> c.startsWith("spec.rules[0].backendRefs[0].endpoints: Required"))
        .anyMatch(c -> c.startsWith("spec.rules[0].backendRefs[0].port: not used by kind Static"))
        .anyMatch(
            c -> c.startsWith("spec.rules[0].backendRefs[0].clusters: not used by kind Static"))
        .anyMatch(c -> c.startsWith("spec.rules[0].timeouts.request: \"1.5s\" is not a duration"))
        .anyMatch(c -> c.startsWith("spec.rules[0].timeouts.backendRequest: \"10 s\" is not a"))
        .anyMatch(c -> c.startsWith("spec.rules[1].name: Duplicate value: a"))
        .anyMatch(c -> c.startsWith("spec.rules[1].filters[1]: a rule cannot both redirect"))
        .anyMatch(c -> c.startsWith("spec.rules[1].backendRefs: a rule with a RequestRedirect"))
        .anyMatch(c -> c.startsWith("spec.rules[1].backendRefs[0].port: Required"))
        .anyMatch(c -> c.startsWith("spec.rules[1].backendRefs[0].endpoints: kind Service takes"))
        .anyMatch(
            c -> c.startsWith("spec.rules[2].filters[0].urlRewrite.path.type: ReplacePrefixMatch"))
        .anyMatch(c -> c.startsWith("spec.rules[2].backendRefs: Required value"))
        .anyMatch(c -> c.startsWith("spec.healthCheck.interval: \"soon\" is not a duration"));
    assertThat(causes(bad)).hasSize(18);
    assertThat(badCode.code()).isEqualTo(422);
    assertThat(causes(badCode))
        .containsExactly(
            "spec.rules[0].filters[0].requestRedirect.statusCode: Unsupported value: \"304\":"
                + " supported values: \"301\", \"302\", \"303\", \"307\", \"308\"");
    assertThat(client.get(GR + "/semantics").code()).isEqualTo(404);
  }

  @Test
  void theOpenApiDocumentDescribesTheRoute() {
    // When
    var doc = client.get("/openapi/v3/apis/network.meridian.dev/v1alpha1");
    // Then
    JsonNode route =
        doc.json()
            .path("components")
            .path("schemas")
            .path("dev.meridian.network.v1alpha1.GlobalRoute");
    JsonNode backendRef =
        route
            .path("properties")
            .path("spec")
            .path("properties")
            .path("rules")
            .path("items")
            .path("properties")
            .path("backendRefs")
            .path("items");
    assertThat(backendRef.path("properties").path("kind").path("enum").toString())
        .isEqualTo("[\"Service\",\"Static\"]");
    assertThat(
            route
                .path("properties")
                .path("status")
                .path("properties")
                .path("backends")
                .path("items")
                .path("properties")
                .path("endpoints")
                .path("items")
                .path("properties")
                .has("clusterReady"))
        .isTrue();
  }
}
