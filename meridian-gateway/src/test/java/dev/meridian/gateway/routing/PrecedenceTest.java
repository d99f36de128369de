package dev.meridian.gateway.routing;

import static dev.meridian.gateway.Routes.compile;
import static dev.meridian.gateway.Routes.route;
import static dev.meridian.gateway.Routes.ruleOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.Requests;
import dev.meridian.gateway.RoutingTable;
import org.junit.jupiter.api.Test;

/** Rule precedence as the Gateway API's HTTPRoute specifies it. */
class PrecedenceTest {

  @Test
  void exactPathBeatsAnyPrefixAndTheLongestPrefixWins() {
    // Given
    RoutingTable t =
        compile(
            route(
                "ns",
                "r",
                null,
                null,
                "root",
                "[{path: {type: PathPrefix, value: /}}]",
                "api",
                "[{path: {type: PathPrefix, value: /api}}]",
                "v1",
                "[{path: {type: PathPrefix, value: /api/v1/}}]",
                "exact",
                "[{path: {type: Exact, value: /api/v1/items}}]"));

    // When / Then
    assertThat(ruleOf(t, Requests.head("h", "/api/v1/items"))).isEqualTo("ns/r#exact");
    assertThat(ruleOf(t, Requests.head("h", "/api/v1/items/2"))).isEqualTo("ns/r#v1");
    assertThat(ruleOf(t, Requests.head("h", "/api/v1"))).isEqualTo("ns/r#v1");
    assertThat(ruleOf(t, Requests.head("h", "/api/v2"))).isEqualTo("ns/r#api");
    assertThat(ruleOf(t, Requests.head("h", "/api"))).isEqualTo("ns/r#api");
    assertThat(ruleOf(t, Requests.head("h", "/apix"))).isEqualTo("ns/r#root");
    assertThat(ruleOf(t, Requests.head("h", "/"))).isEqualTo("ns/r#root");
  }

  @Test
  void aRegularExpressionComesAfterPrefixes() {
    // Given
    RoutingTable t =
        compile(
            route(
                "ns",
                "r",
                null,
                null,
                "regex",
                "[{path: {type: RegularExpression, value: \"/items/[0-9]+\"}}]",
                "prefix",
                "[{path: {type: PathPrefix, value: /items}}]",
                "other",
                "[{path: {type: RegularExpression, value: \"/other/.*\"}}]"));

    // When / Then
    assertThat(ruleOf(t, Requests.head("h", "/items/42"))).isEqualTo("ns/r#prefix");
    assertThat(ruleOf(t, Requests.head("h", "/other/x"))).isEqualTo("ns/r#other");
    assertThat(ruleOf(t, Requests.head("h", "/nothing"))).isEqualTo("status 404");
  }

  @Test
  void thenAMethodThenMoreHeadersThenMoreQueryParameters() {
    // Given: same path everywhere
    RoutingTable t =
        compile(
            route(
                "ns",
                "r",
                null,
                null,
                "plain",
                "[{path: {value: /a}}]",
                "query",
                "[{path: {value: /a}, queryParams: [{name: q, value: \"1\"}]}]",
                "oneHeader",
                "[{path: {value: /a}, headers: [{name: X-A, value: a}]}]",
                "twoHeaders",
                "[{path: {value: /a}, headers: [{name: X-A, value: a}, {name: X-B, value: b}]}]",
                "method",
                "[{path: {value: /a}, method: POST}]"));

    // When / Then
    assertThat(ruleOf(t, Requests.get("h", "/a?q=1").method("POST").header("X-A", "a").head()))
        .isEqualTo("ns/r#method");
    assertThat(ruleOf(t, Requests.get("h", "/a?q=1").header("X-A", "a").header("X-B", "b").head()))
        .isEqualTo("ns/r#twoHeaders");
    assertThat(ruleOf(t, Requests.get("h", "/a?q=1").header("X-A", "a").head()))
        .isEqualTo("ns/r#oneHeader");
    assertThat(ruleOf(t, Requests.head("h", "/a?x=2&q=1"))).isEqualTo("ns/r#query");
    assertThat(ruleOf(t, Requests.head("h", "/a?q=2"))).isEqualTo("ns/r#plain");
  }

  @Test
  void headerAndQueryMatchesByRegularExpressionAndDecodedValues() {
    // Given
    RoutingTable t =
        compile(
            route(
                "ns",
                "r",
                null,
                null,
                "h",
                "[{headers: [{type: RegularExpression, name: X-Version, value: \"v[23]\"}]}]",
                "q",
                "[{queryParams: [{name: name, value: a b/c}]}]"));

    // When / Then
    assertThat(ruleOf(t, Requests.get("h", "/").header("x-version", "v3").head()))
        .isEqualTo("ns/r#h");
    assertThat(ruleOf(t, Requests.get("h", "/").header("X-Version", "v4").head()))
        .isEqualTo("status 404");
    assertThat(ruleOf(t, Requests.head("h", "/?name=a+b%2Fc"))).isEqualTo("ns/r#q");
    assertThat(ruleOf(t, Requests.head("h", "/?name=a%20b/c"))).isEqualTo("ns/r#q");
  }

  @Test
  void onATieTheOldestRouteWinsThenNamespaceAndNameAlphabetically() {
    // Given: three identical matches
    String yaml =
        route("b", "same", "2026-01-02T00:00:00Z", null, "r", "")
            + "---\n"
            + route("z", "old", "2025-12-31T00:00:00Z", null, "r", "")
            + "---\n"
            + route("a", "same", "2026-01-02T00:00:00Z", null, "r", "");

    // When
    RoutingTable t = compile(yaml);
    RoutingTable withoutOldest =
        compile(
            route("b", "same", "2026-01-02T00:00:00Z", null, "r", "")
                + "---\n"
                + route("a", "zz", "2026-01-02T00:00:00Z", null, "r", "")
                + "---\n"
                + route("a", "b", "2026-01-02T00:00:00Z", null, "r", ""));

    // Then
    assertThat(ruleOf(t, Requests.head("h", "/"))).isEqualTo("z/old#r");
    assertThat(ruleOf(withoutOldest, Requests.head("h", "/"))).isEqualTo("a/b#r");
  }

  @Test
  void withinARouteTheFirstRuleInListOrderWins() {
    // Given
    RoutingTable t =
        compile(
            route(
                "ns",
                "r",
                null,
                null,
                "first",
                "[{path: {value: /x}}]",
                "second",
                "[{path: {value: /x}}]"));

    // When / Then
    assertThat(ruleOf(t, Requests.head("h", "/x/y"))).isEqualTo("ns/r#first");
  }

  @Test
  void aRuleWithoutMatchesTakesEveryRequestOfItsHosts() {
    // Given
    RoutingTable t = compile(route("ns", "r", null, "[a.example]", "all", ""));

    // When / Then
    assertThat(ruleOf(t, Requests.get("a.example", "/any/thing?x=1").method("DELETE").head()))
        .isEqualTo("ns/r#all");
    assertThat(ruleOf(t, Requests.head("b.example", "/"))).isEqualTo("status 404");
  }
}
