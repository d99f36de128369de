package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.RouteDecision.Forward;
import dev.meridian.gateway.RouteDecision.Header;
import dev.meridian.gateway.RouteDecision.HeaderEdits;
import dev.meridian.gateway.RouteDecision.RequestEdits;
import dev.meridian.gateway.RoutingTable;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyRoutingTest {

  private final TestBackend a = new TestBackend("a");
  private final TestBackend b = new TestBackend("b");

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  @Test
  void routesByHostAndAnswersLocallyWhenNoRouteMatches() throws Exception {
    // Given
    RoutingTable table =
        head ->
            switch (head.path()) {
              case "/a" -> TestRoutes.forward(a);
              case "/b" -> TestRoutes.forward(b);
              default -> RouteDecision.NOT_FOUND;
            };
    try (GatewayFixture gw = new GatewayFixture(table)) {
      // When
      HttpResponse<String> ra = gw.get("/a");
      HttpResponse<String> rb = gw.get("/b");
      HttpResponse<String> none = gw.get("/c");
      // Then
      assertThat(ra.statusCode()).isEqualTo(200);
      assertThat(ra.body()).isEqualTo("a bytes=0");
      assertThat(rb.body()).isEqualTo("b bytes=0");
      assertThat(none.statusCode()).isEqualTo(404);
      assertThat(gw.feedback).extracting(GatewayFixture.Report::outcome).containsOnly("success");
    }
  }

  @Test
  void reusesTheUpstreamConnectionAcrossRequests() throws Exception {
    // Given
    try (GatewayFixture gw = new GatewayFixture(head -> TestRoutes.forward(a))) {
      // When
      for (int i = 0; i < 10; i++) {
        assertThat(gw.get("/x" + i).statusCode()).isEqualTo(200);
      }
      // Then: one client connection on one loop, so one upstream connection
      assertThat(a.requests.get()).isEqualTo(10);
      assertThat(a.accepted.get()).isEqualTo(1);
    }
  }

  @Test
  void appliesEditsForwardingHeadersHopByHopAndStickyCookie() throws Exception {
    // Given
    var selector =
        new TestRoutes.InOrder(
            List.of(TestRoutes.endpoint(a)),
            new java.util.concurrent.atomic.AtomicInteger(),
            "sid");
    Forward f =
        new Forward(
            TestRoutes.ROUTE,
            new RequestEdits(
                new HeaderEdits(
                    List.of(new Header("X-Set", "s")),
                    List.of(new Header("X-Add", "1")),
                    List.of("X-Drop")),
                "internal.shop",
                "/v2/items"),
            new HeaderEdits(List.of(), List.of(new Header("X-Resp", "r")), List.of("X-Internal")),
            selector,
            null,
            RouteDecision.Timeouts.DEFAULT,
            new RouteDecision.RetryPolicy(1, List.of(), dev.meridian.gateway.RetryBudget.UNLIMITED),
            RouteDecision.Limits.DEFAULT);
    try (GatewayFixture gw = new GatewayFixture(head -> f)) {
      // When
      HttpResponse<String> r =
          gw.client.send(
              java.net.http.HttpRequest.newBuilder(gw.uri("/api/items?q=1&b=2"))
                  .header("X-Drop", "x")
                  .header("X-Forwarded-For", "203.0.113.7")
                  .header("TE", "trailers")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // Then
      HttpHeaders seen = a.seenHeaders.poll(5, TimeUnit.SECONDS);
      assertThat(a.seenUris.poll()).isEqualTo("/v2/items?q=1&b=2");
      assertThat(seen.get("Host")).isEqualTo("internal.shop");
      assertThat(seen.get("X-Set")).isEqualTo("s");
      assertThat(seen.get("X-Add")).isEqualTo("1");
      assertThat(seen.contains("X-Drop")).isFalse();
      assertThat(seen.contains("TE")).isFalse();
      assertThat(seen.get("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
      assertThat(seen.get("X-Forwarded-Proto")).isEqualTo("http");
      assertThat(seen.get("X-Forwarded-Host")).startsWith("127.0.0.1:");
      assertThat(seen.get("Forwarded")).startsWith("for=127.0.0.1;proto=http;host=\"127.0.0.1:");
      assertThat(r.headers().firstValue("X-Resp")).hasValue("r");
      assertThat(r.headers().firstValue("X-Internal")).isEmpty();
      assertThat(r.headers().firstValue("X-Hop")).isEmpty();
      assertThat(r.headers().firstValue("Set-Cookie")).hasValue("sid=a");
    }
  }

  @Test
  void headResponsesKeepTheConnectionsUsable() throws Exception {
    try (GatewayFixture gw = new GatewayFixture(head -> TestRoutes.forward(a))) {
      // When
      HttpResponse<String> head =
          gw.client.send(
              java.net.http.HttpRequest.newBuilder(gw.uri("/h"))
                  .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> get = gw.get("/g");
      // Then
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("Content-Length")).hasValue("9");
      assertThat(get.body()).isEqualTo("a bytes=0");
      assertThat(a.accepted.get()).isEqualTo(1);
    }
  }

  @Test
  void swapsTheTableWhileARequestIsInFlight() throws Exception {
    // Given: a slow request under the first table
    try (GatewayFixture gw = new GatewayFixture(head -> TestRoutes.forward(a))) {
      var slow =
          gw.client.sendAsync(
              java.net.http.HttpRequest.newBuilder(gw.uri("/slow/400")).build(),
              HttpResponse.BodyHandlers.ofString());
      while (a.requests.get() == 0) {
        Thread.sleep(5);
      }
      // When
      gw.gateway.routingTable(head -> TestRoutes.forward(b));
      // Then: the request in flight finishes on its table, new ones use the new table
      assertThat(gw.get("/").body()).startsWith("b ");
      assertThat(slow.get().body()).startsWith("a ");
    }
  }

  @Test
  void answers503WhenNoEndpointIsLeft() throws Exception {
    // Given
    try (GatewayFixture gw =
        new GatewayFixture(head -> TestRoutes.forward(new TestRoutes.InOrder(List.of())))) {
      // When
      HttpResponse<String> r = gw.get("/");
      // Then
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(gw.get("/").statusCode()).isEqualTo(503);
    }
  }
}
