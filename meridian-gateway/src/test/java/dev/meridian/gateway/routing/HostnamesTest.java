package dev.meridian.gateway.routing;

import static dev.meridian.gateway.Routes.compile;
import static dev.meridian.gateway.Routes.route;
import static dev.meridian.gateway.Routes.ruleOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.Requests;
import dev.meridian.gateway.RoutingTable;
import org.junit.jupiter.api.Test;

class HostnamesTest {

  private static final RoutingTable TABLE =
      compile(
          route("ns", "exact", null, "[api.example.com]", "r", "[{path: {value: /only}}]")
              + "---\n"
              + route("ns", "wild", null, "[\"*.example.com\"]", "r", "")
              + "---\n"
              + route("ns", "deeper", null, "[\"*.eu.example.com\"]", "r", "")
              + "---\n"
              + route("ns", "mixed", null, "[Shop.Example.org, \"*.shop.example.org\"]", "r", "")
              + "---\n"
              + route("ns", "fallback", null, null, "r", "[{path: {value: /fallback}}]"));

  @Test
  void anExactHostnameIsPreferredAndFallsThroughToLessSpecificOnes() {
    assertThat(ruleOf(TABLE, Requests.head("api.example.com", "/only/x"))).isEqualTo("ns/exact#r");
    // the exact host's route has no rule for /other: the wildcard covering it takes it
    assertThat(ruleOf(TABLE, Requests.head("api.example.com", "/other"))).isEqualTo("ns/wild#r");
  }

  @Test
  void aWildcardMatchesOneOrMoreLabelsButNotTheBareDomain() {
    assertThat(ruleOf(TABLE, Requests.head("www.example.com", "/"))).isEqualTo("ns/wild#r");
    assertThat(ruleOf(TABLE, Requests.head("a.b.example.com", "/"))).isEqualTo("ns/wild#r");
    assertThat(ruleOf(TABLE, Requests.head("example.com", "/"))).isEqualTo("status 404");
    assertThat(ruleOf(TABLE, Requests.head("example.com", "/fallback"))).isEqualTo("ns/fallback#r");
    assertThat(ruleOf(TABLE, Requests.head("notexample.com", "/"))).isEqualTo("status 404");
  }

  @Test
  void theLongestWildcardWins() {
    assertThat(ruleOf(TABLE, Requests.head("x.eu.example.com", "/"))).isEqualTo("ns/deeper#r");
    assertThat(ruleOf(TABLE, Requests.head("eu.example.com", "/"))).isEqualTo("ns/wild#r");
  }

  @Test
  void hostnamesAreCaseInsensitiveAndRoutesWithoutHostnamesTakeAnyHost() {
    assertThat(ruleOf(TABLE, Requests.head("shop.example.org", "/"))).isEqualTo("ns/mixed#r");
    assertThat(ruleOf(TABLE, Requests.head("a.shop.example.org", "/"))).isEqualTo("ns/mixed#r");
    assertThat(ruleOf(TABLE, Requests.head("elsewhere.net", "/fallback/1")))
        .isEqualTo("ns/fallback#r");
    assertThat(ruleOf(TABLE, Requests.head("", "/fallback"))).isEqualTo("ns/fallback#r");
    assertThat(ruleOf(TABLE, Requests.head("elsewhere.net", "/"))).isEqualTo("status 404");
  }
}
