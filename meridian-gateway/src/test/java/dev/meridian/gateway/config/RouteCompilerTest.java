package dev.meridian.gateway.config;

import static dev.meridian.gateway.Routes.compile;
import static dev.meridian.gateway.Routes.forward;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.api.network.GatewayDuration;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.Requests;
import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.RouteDecision.Forward;
import dev.meridian.gateway.Routes;
import dev.meridian.gateway.balancing.RuleBackends;
import dev.meridian.gateway.health.HealthCheckSettings;
import dev.meridian.gateway.health.HealthTarget;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteCompilerTest {

  /** The route of docs/gateway.md, its redirect moved to a rule of its own. */
  static final String WEB =
      """
      apiVersion: network.meridian.dev/v1alpha1
      kind: GlobalRoute
      metadata: {name: web, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z"}
      spec:
        gateways: [edge]
        hostnames: [shop.example.com, "*.shop.example"]
        rules:
        - name: api
          matches:
          - path: {type: PathPrefix, value: /api}
            method: GET
            headers: [{type: Exact, name: X-Env, value: canary}]
            queryParams: [{type: Exact, name: debug, value: "1"}]
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier: {set: [{name: X-A, value: b}], add: [{name: X-B, value: c}], remove: [X-Debug]}
          - type: ResponseHeaderModifier
            responseHeaderModifier: {set: [{name: X-Served-By, value: meridian}], add: [], remove: [Server]}
          - type: URLRewrite
            urlRewrite: {hostname: internal.shop, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
          - type: RequestMirror
            requestMirror: {backendRef: {kind: Service, name: web-next, port: 80}, percent: 10}
          backendRefs:
          - kind: Service
            name: web
            port: 80
            weight: 3
            clusters: [eu-west-1, us-east-1]
          - kind: Static
            name: legacy
            weight: 1
            endpoints: [{address: 192.0.2.10, port: 8080, cluster: dc-1, region: eu-west, zone: "", country: DE, weight: 1}]
          timeouts: {request: 15s, backendRequest: 5s}
          retry: {attempts: 3, codes: [502, 503, 504]}
        - name: old
          matches: [{path: {type: Exact, value: /old}}]
          filters:
          - type: RequestRedirect
            requestRedirect: {scheme: https, hostname: shop.example.com, port: 443,
                              path: {type: ReplaceFullPath, replaceFullPath: /new}, statusCode: 301}
        loadBalancing:
          policy: RoundRobin
          locality: PreferClient
          sessionPersistence: {type: Cookie, cookieName: meridian-session, absoluteTimeout: 1h}
        healthCheck: {path: /healthz, interval: 1s, timeout: 500ms, unhealthyThreshold: 2, healthyThreshold: 1}
        outlierDetection: {consecutiveFailures: 3, baseEjectionTime: 2s, maxEjectionTime: 60s, maxEjectionPercent: 100}
        circuitBreaker: {maxConnections: 100, maxPendingRequests: 50}
        retryBudget: {percent: 20, minPerSecond: 10}
      status:
        backends:
        - {kind: Service, name: web, port: 80,
           endpoints: [{cluster: eu-west-1, address: 127.0.0.1, port: 41234, ready: true, region: eu-west, zone: eu-west-1a, country: DE, clusterReady: true},
                       {cluster: eu-west-1, address: 127.0.0.1, port: 41235, ready: false, region: eu-west, zone: eu-west-1a, country: DE, clusterReady: true},
                       {cluster: us-east-1, address: 127.0.0.2, port: 41234, ready: true, region: us-east, zone: us-east-1a, country: US, clusterReady: true},
                       {cluster: ap-south-1, address: 127.0.0.3, port: 41234, ready: true, region: ap-south, zone: "", country: IN, clusterReady: true}]}
        - {kind: Service, name: web, port: 8080,
           endpoints: [{cluster: eu-west-1, address: 127.0.0.9, port: 9999, ready: true, region: eu-west}]}
        - {kind: Service, name: web-next, port: 80,
           endpoints: [{cluster: eu-west-1, address: 127.0.0.5, port: 41300, ready: true, region: eu-west}]}
      """;

  static final String API_HEAD = "shop.example.com";

  @Test
  void compilesTheDocumentedRouteIntoAForwardWithEveryPolicy() {
    // Given
    CompiledTable table = compile(WEB);

    // When
    Forward f =
        forward(
            table, Requests.get(API_HEAD, "/api/items?debug=1").header("X-Env", "canary").head());

    // Then
    assertThat(table.problems()).isEmpty();
    assertThat(table.routes()).containsExactly("shop/web");
    assertThat(f.route()).isEqualTo(new RouteDecision.RouteRef("shop", "web", "api"));
    assertThat(f.request().headers().set()).containsExactly(new RouteDecision.Header("X-A", "b"));
    assertThat(f.request().headers().add()).containsExactly(new RouteDecision.Header("X-B", "c"));
    assertThat(f.request().headers().remove()).containsExactly("X-Debug");
    assertThat(f.request().hostname()).isEqualTo("internal.shop");
    assertThat(f.request().path()).isEqualTo("/v2/items");
    assertThat(f.response().set())
        .containsExactly(new RouteDecision.Header("X-Served-By", "meridian"));
    assertThat(f.response().remove()).containsExactly("Server");
    assertThat(f.timeouts())
        .isEqualTo(new RouteDecision.Timeouts(Duration.ofSeconds(15), Duration.ofSeconds(5)));
    assertThat(f.retry().attempts()).isEqualTo(3);
    assertThat(f.retry().codes()).containsExactly(502, 503, 504);
    assertThat(f.limits()).isEqualTo(new RouteDecision.Limits(100, 50));
    assertThat(f.mirror().percent()).isEqualTo(10);
    assertThat(f.mirror().backends().pick(Requests.head(API_HEAD, "/api"), Set.of()))
        .map(Endpoint::id)
        .contains("eu-west-1/127.0.0.5:41300");
  }

  @Test
  void serviceEndpointsComeFromTheStatusMatchedByNameAndPortFilteredByClustersAndReadiness() {
    // Given
    CompiledTable table = compile(WEB);
    Forward f =
        forward(table, Requests.get(API_HEAD, "/api?debug=1").header("X-Env", "canary").head());

    // When
    List<String> ids =
        ((RuleBackends) f.backends())
            .pools().stream().flatMap(p -> p.endpoints().stream()).map(Endpoint::id).toList();

    // Then: not the unready one, not ap-south-1 (not in clusters), not port 8080's
    assertThat(ids)
        .containsExactly(
            "eu-west-1/127.0.0.1:41234", "us-east-1/127.0.0.2:41234", "dc-1/192.0.2.10:8080");
    Endpoint legacy = ((RuleBackends) f.backends()).pools().get(1).endpoints().get(0);
    assertThat(legacy)
        .isEqualTo(
            new Endpoint(
                "dc-1/192.0.2.10:8080", "dc-1", "eu-west", "", "DE", "192.0.2.10", 8080, false, 1));
    assertThat(legacy.country()).isEqualTo("DE");
  }

  @Test
  void exposesEveryEndpointOnceWithItsRoutesHealthCheck() {
    // Given
    CompiledTable table = compile(WEB);

    // When
    List<HealthTarget> targets = table.healthTargets();

    // Then
    assertThat(targets)
        .extracting(t -> t.endpoint().id())
        .containsExactlyInAnyOrder(
            "eu-west-1/127.0.0.1:41234",
            "us-east-1/127.0.0.2:41234",
            "dc-1/192.0.2.10:8080",
            "eu-west-1/127.0.0.5:41300");
    assertThat(targets.get(0).check())
        .isEqualTo(
            new HealthCheckSettings(
                "/healthz", Duration.ofSeconds(1), Duration.ofMillis(500), 2, 1));
  }

  @Test
  void aRouteForOtherGatewaysIsSkippedAndOneForEveryGatewayIsKept() {
    // Given
    String both = WEB + "---\n" + Routes.route("shop", "any", null, null, "r", "");

    // When
    CompiledTable mine = compile(both, CompileContext.of("edge", "eu-west", Routes.states()));
    CompiledTable other = compile(both, CompileContext.of("inner", "eu-west", Routes.states()));

    // Then
    assertThat(mine.routes()).containsExactly("shop/any", "shop/web");
    assertThat(other.routes()).containsExactly("shop/any");
    assertThat(other.problems()).isEmpty();
  }

  @Test
  void aRouteThatDoesNotCompileIsSkippedWholeAndReported() {
    // Given: the second rule's regex does not compile, after a valid first rule
    String bad =
        Routes.route(
            "shop",
            "bad",
            null,
            "[bad.example]",
            "ok",
            "[{path: {type: PathPrefix, value: /}}]",
            "broken",
            "[{path: {type: RegularExpression, value: \"/(unclosed\"}}]");
    String badDuration =
        Routes.route("shop", "slow", null, "[slow.example]", "r", "")
            .replace("    backendRefs", "    timeouts: {request: 10 seconds}\n    backendRefs");
    String good = Routes.route("shop", "good", null, "[good.example]", "r", "");

    // When
    CompiledTable table = compile(bad + "---\n" + badDuration + "---\n" + good);

    // Then
    assertThat(table.routes()).containsExactly("shop/good");
    assertThat(table.problems()).hasSize(2);
    assertThat(table.problems().get(0)).startsWith("shop/bad: ");
    assertThat(table.problems().get(1)).startsWith("shop/slow: ").contains("10 seconds");
    assertThat(table.decide(Requests.head("bad.example", "/"))).isEqualTo(RouteDecision.NOT_FOUND);
    assertThat(table.decide(Requests.head("good.example", "/"))).isInstanceOf(Forward.class);
  }

  @Test
  void aSkippedRouteChangesNothingInTheEndpointStates() {
    // Given: a good route ejecting at the first failure, and a broken one after it (by name) that
    // holds the same endpoint with other outlier settings
    String good =
        Routes.route("shop", "good", null, "[good.example]", "r", "")
            .replace("  rules:", "  outlierDetection: {consecutiveFailures: 1}\n  rules:");
    String broken =
        Routes.route(
                "shop",
                "zbroken",
                null,
                "[bad.example]",
                "ok",
                "",
                "broken",
                "[{path: {type: RegularExpression, value: \"(\"}}]")
            .replace("  rules:", "  outlierDetection: {consecutiveFailures: 50}\n  rules:");
    var states = Routes.states();
    CompiledTable table =
        compile(good + "---\n" + broken, CompileContext.of("edge", "eu-west", states));
    var state = states.state("static/10.0.0.1:80");

    // When
    states.failure(state.endpoint(), dev.meridian.gateway.EndpointFeedback.Failure.CONNECT);

    // Then
    assertThat(table.routes()).containsExactly("shop/good");
    assertThat(state.ejected(states.nanoTime())).isTrue();
  }

  @Test
  void appliesTheDefaultsOfTimeoutsRetriesAndLimits() {
    // Given
    CompiledTable table = compile(Routes.route("ns", "r", null, null, "a", ""));

    // When
    Forward f = forward(table, Requests.head("x", "/"));

    // Then
    assertThat(f.timeouts()).isEqualTo(RouteDecision.Timeouts.DEFAULT);
    assertThat(f.retry().attempts()).isEqualTo(2);
    assertThat(f.retry().codes()).containsExactly(502, 503, 504);
    assertThat(f.retry().budget()).isNotNull();
    assertThat(f.limits()).isEqualTo(RouteDecision.Limits.DEFAULT);
    assertThat(f.request()).isEqualTo(RouteDecision.RequestEdits.NONE);
    assertThat(f.mirror()).isNull();
    assertThat(table.healthTargets()).isEmpty();
  }

  @Test
  void aRuleWithoutBackendsAnswers500() {
    // Given
    String yaml =
        Routes.route("ns", "r", null, null, "a", "")
            .replace(
                "endpoints: [{address: 10.0.0.1, port: 80}]",
                "weight: 0, endpoints: [{address: 10.0.0.1, port: 80}]");

    // When
    RouteDecision d = compile(yaml).decide(Requests.head("x", "/"));

    // Then
    assertThat(d).isInstanceOf(RouteDecision.Respond.class);
    assertThat(((RouteDecision.Respond) d).status()).isEqualTo(500);
  }

  @Test
  void everyRouteSharesTheLongLivedEndpointStatesAcrossCompilations() {
    // Given
    var states = Routes.states();
    var ctx = CompileContext.of("edge", "eu-west", states);
    compile(WEB, ctx);
    Set<String> before = new HashSet<>();
    for (HealthTarget t : compile(WEB, ctx).healthTargets()) {
      before.add(t.endpoint().id());
    }

    // When
    var state = states.state("eu-west-1/127.0.0.1:41234");
    compile(WEB, ctx);

    // Then
    assertThat(states.state("eu-west-1/127.0.0.1:41234")).isSameAs(state);
    assertThat(states.size()).isEqualTo(before.size());
  }

  @Test
  void parsesGatewayApiDurations() {
    assertThat(GatewayDuration.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(GatewayDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(GatewayDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GatewayDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GatewayDuration.parse("1h2m3s4ms"))
        .isEqualTo(Duration.ofHours(1).plusMinutes(2).plusSeconds(3).plusMillis(4));
    assertThatThrownBy(() -> GatewayDuration.parse("1.5s"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayDuration.parse("10"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayDuration.parse("1d"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
