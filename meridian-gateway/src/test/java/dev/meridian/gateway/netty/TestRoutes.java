package dev.meridian.gateway.netty;

import dev.meridian.gateway.BackendSelector;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RetryBudget;
import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.RouteDecision.Forward;
import dev.meridian.gateway.RouteDecision.HeaderEdits;
import dev.meridian.gateway.RouteDecision.Limits;
import dev.meridian.gateway.RouteDecision.RequestEdits;
import dev.meridian.gateway.RouteDecision.RetryPolicy;
import dev.meridian.gateway.RouteDecision.RouteRef;
import dev.meridian.gateway.RouteDecision.Timeouts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-written routing for tests: endpoints in order (first not yet tried), no balancing. */
final class TestRoutes {

  static final RouteRef ROUTE = new RouteRef("shop", "web", "0");

  private TestRoutes() {}

  static Endpoint endpoint(String cluster, int port) {
    return new Endpoint(
        Endpoint.idOf(cluster, "127.0.0.1", port),
        cluster,
        "",
        "",
        "",
        "127.0.0.1",
        port,
        false,
        1);
  }

  static Endpoint endpoint(TestBackend backend) {
    return endpoint(backend.name, backend.port());
  }

  /** Picks the first endpoint not tried yet; counts picks. */
  record InOrder(List<Endpoint> endpoints, AtomicInteger picks, String cookie)
      implements BackendSelector {
    InOrder(List<Endpoint> endpoints) {
      this(endpoints, new AtomicInteger(), null);
    }

    @Override
    public Optional<Endpoint> pick(RequestHead head, Set<Endpoint> tried) {
      picks.incrementAndGet();
      return endpoints.stream().filter(e -> !tried.contains(e)).findFirst();
    }

    @Override
    public String stickyCookie(RequestHead head, Endpoint chosen) {
      return cookie == null ? null : cookie + "=" + chosen.cluster();
    }
  }

  static Forward forward(BackendSelector selector) {
    return forward(
        selector,
        Timeouts.DEFAULT,
        new RetryPolicy(3, List.of(502, 503, 504), RetryBudget.UNLIMITED),
        Limits.DEFAULT);
  }

  static Forward forward(
      BackendSelector selector, Timeouts timeouts, RetryPolicy retry, Limits limits) {
    return new Forward(
        ROUTE, RequestEdits.NONE, HeaderEdits.NONE, selector, null, timeouts, retry, limits);
  }

  static Forward forward(TestBackend... backends) {
    return forward(
        new InOrder(java.util.Arrays.stream(backends).map(TestRoutes::endpoint).toList()));
  }

  static Timeouts timeouts(Duration request, Duration attempt) {
    return new Timeouts(request, attempt);
  }

  static RouteDecision respond(int status) {
    return new RouteDecision.Respond(status, List.of(), "local\n");
  }
}
