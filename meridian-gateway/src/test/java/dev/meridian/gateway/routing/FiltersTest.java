package dev.meridian.gateway.routing;

import static dev.meridian.gateway.Routes.compile;
import static dev.meridian.gateway.Routes.forward;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.Requests;
import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.RouteDecision.Header;
import dev.meridian.gateway.Routes;
import dev.meridian.gateway.RoutingTable;
import dev.meridian.gateway.config.CompileContext;
import org.junit.jupiter.api.Test;

class FiltersTest {

  private static String rule(String match, String filters) {
    return """
        apiVersion: network.meridian.dev/v1alpha1
        kind: GlobalRoute
        metadata: {name: r, namespace: ns}
        spec:
          rules:
          - matches: %s
            filters: %s
            backendRefs: [{kind: Static, name: s, endpoints: [{address: 10.0.0.1, port: 80}]}]
        """
        .formatted(match, filters);
  }

  private static String rewrite(String prefix, String replacement, String path) {
    RoutingTable t =
        compile(
            rule(
                "[{path: {type: PathPrefix, value: \"" + prefix + "\"}}]",
                "[{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: \""
                    + replacement
                    + "\"}}}]"));
    return forward(t, Requests.head("h", path)).request().path();
  }

  @Test
  void replacePrefixMatchReplacesTheMatchedPrefixAsTheGatewayApiSpecifies() {
    assertThat(rewrite("/foo", "/xyz", "/foo/bar")).isEqualTo("/xyz/bar");
    assertThat(rewrite("/foo", "/xyz/", "/foo/bar")).isEqualTo("/xyz/bar");
    assertThat(rewrite("/foo/", "/xyz", "/foo/bar")).isEqualTo("/xyz/bar");
    assertThat(rewrite("/foo", "/xyz", "/foo")).isEqualTo("/xyz");
    assertThat(rewrite("/foo", "/", "/foo/bar")).isEqualTo("/bar");
    assertThat(rewrite("/foo", "/", "/foo")).isEqualTo("/");
    assertThat(rewrite("/", "/v2", "/items")).isEqualTo("/v2/items");
  }

  @Test
  void replaceFullPathAndHostnameAreFixed() {
    // Given
    RoutingTable t =
        compile(
            rule(
                "[{path: {value: /a}}]",
                "[{type: URLRewrite, urlRewrite: {hostname: internal, path: {type: ReplaceFullPath, replaceFullPath: /b}}}]"));

    // When
    RouteDecision.Forward f = forward(t, Requests.head("h", "/a/c?x=1"));

    // Then
    assertThat(f.request().path()).isEqualTo("/b");
    assertThat(f.request().hostname()).isEqualTo("internal");
    assertThat(t.decide(Requests.head("h", "/a/d"))).isSameAs(f);
  }

  @Test
  void headerModifiersOfRequestAndResponse() {
    // Given
    RoutingTable t =
        compile(
            rule(
                "[{path: {value: /}}]",
                """
                [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Set, value: "1"}], add: [{name: X-Add, value: "2"}], remove: [X-Gone]}},
                 {type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: X-Resp, value: "3"}], remove: [Server]}}]"""
                    .replace("\n", " ")));

    // When
    RouteDecision.Forward f = forward(t, Requests.head("h", "/"));

    // Then
    assertThat(f.request().headers())
        .isEqualTo(
            new RouteDecision.HeaderEdits(
                java.util.List.of(new Header("X-Set", "1")),
                java.util.List.of(new Header("X-Add", "2")),
                java.util.List.of("X-Gone")));
    assertThat(f.response().set()).isEmpty();
    assertThat(f.response().add()).containsExactly(new Header("X-Resp", "3"));
    assertThat(f.response().remove()).containsExactly("Server");
  }

  @Test
  void mirrorSendsACopyToItsOwnBackend() {
    // Given
    RoutingTable t =
        compile(
            rule(
                "[{path: {value: /}}]",
                "[{type: RequestMirror, requestMirror: {backendRef: {kind: Static, name: shadow, endpoints: [{address: 10.9.9.9, port: 81, cluster: shadow}]}, percent: 25}}]"));

    // When
    RouteDecision.Mirror m = forward(t, Requests.head("h", "/")).mirror();

    // Then
    assertThat(m.percent()).isEqualTo(25);
    assertThat(m.backends().pick(Requests.head("h", "/"), java.util.Set.of()).orElseThrow().id())
        .isEqualTo("shadow/10.9.9.9:81");
  }

  private static String location(String redirect, RequestHead head, int listenPort) {
    RoutingTable t =
        Routes.compile(
            rule(
                "[{path: {value: /old}}]",
                "[{type: RequestRedirect, requestRedirect: " + redirect + "}]"),
            CompileContext.of("edge", "eu-west", Routes.states()).withListenPort(listenPort));
    RouteDecision.Respond r = (RouteDecision.Respond) t.decide(head);
    assertThat(r.headers()).hasSize(1);
    assertThat(r.headers().get(0).name()).isEqualTo("Location");
    return r.status() + " " + r.headers().get(0).value();
  }

  @Test
  void redirectLocationFollowsTheGatewayApiRules() {
    RequestHead plain = Requests.head("shop.example.com", "/old/page?a=1");
    RequestHead overTls = Requests.get("shop.example.com", "/old").tls().head();

    // the scheme alone: its well-known port, left out; path and query kept; 302 by default
    assertThat(location("{scheme: https}", plain, 8080))
        .isEqualTo("302 https://shop.example.com/old/page?a=1");
    // nothing set: the request's scheme and the listener's port
    assertThat(location("{hostname: other.example}", plain, 8080))
        .isEqualTo("302 http://other.example:8080/old/page?a=1");
    assertThat(location("{hostname: other.example}", plain, 80))
        .isEqualTo("302 http://other.example/old/page?a=1");
    assertThat(location("{statusCode: 301}", overTls, 443))
        .isEqualTo("301 https://shop.example.com/old");
    // an explicit port that is not the scheme's
    assertThat(location("{scheme: https, port: 8443}", plain, 8080))
        .isEqualTo("302 https://shop.example.com:8443/old/page?a=1");
    assertThat(location("{scheme: http, port: 80}", overTls, 443))
        .isEqualTo("302 http://shop.example.com/old");
    // path modifiers
    assertThat(
            location(
                "{path: {type: ReplaceFullPath, replaceFullPath: /new}, statusCode: 308}",
                plain,
                0))
        .isEqualTo("308 http://shop.example.com/new?a=1");
    assertThat(location("{path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}", plain, 0))
        .isEqualTo("302 http://shop.example.com/new/page?a=1");
  }
}
