package dev.meridian.gateway.config;

import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.RoutingTable;
import dev.meridian.gateway.health.HealthTarget;
import dev.meridian.gateway.health.HealthTargets;
import dev.meridian.gateway.routing.Router;
import java.util.List;

/**
 * The routing table compiled from a set of {@code GlobalRoute}s: immutable, built off the event
 * loops by {@link RouteCompiler}, swapped in whole by the proxy. Also lists what the {@link
 * dev.meridian.gateway.health.ActiveHealthChecker} should probe, and the routes that could not be
 * compiled (skipped whole, never half-loaded).
 */
public final class CompiledTable implements RoutingTable, HealthTargets {

  private final Router router;
  private final List<String> routes;
  private final List<HealthTarget> healthTargets;
  private final List<String> problems;

  CompiledTable(
      Router router, List<String> routes, List<HealthTarget> healthTargets, List<String> problems) {
    this.router = router;
    this.routes = List.copyOf(routes);
    this.healthTargets = List.copyOf(healthTargets);
    this.problems = List.copyOf(problems);
  }

  @Override
  public RouteDecision decide(RequestHead head) {
    return router.decide(head);
  }

  /** The {@code namespace/name} of every route compiled into the table, sorted. */
  public List<String> routes() {
    return routes;
  }

  @Override
  public List<HealthTarget> healthTargets() {
    return healthTargets;
  }

  /** One line per route that was skipped because it did not compile: {@code ns/name: reason}. */
  public List<String> problems() {
    return problems;
  }
}
