package dev.meridian.gateway.balancing;

import dev.meridian.gateway.BackendSelector;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.Routes;
import dev.meridian.gateway.config.CompileContext;
import dev.meridian.gateway.config.CompiledTable;
import dev.meridian.gateway.health.EndpointStates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Four static endpoints in three regions behind one route, compiled with states the test controls:
 * eu-west-1 (eu-west) a and b, us-east-1 (us-east) c, ap-south-1 (ap-south) d.
 */
final class Fleet {

  static final String ENDPOINTS =
      """
      [{address: 10.0.0.1, port: 80, cluster: eu-west-1, region: eu-west},
       {address: 10.0.0.2, port: 80, cluster: eu-west-1, region: eu-west},
       {address: 10.0.1.1, port: 80, cluster: us-east-1, region: us-east},
       {address: 10.0.2.1, port: 80, cluster: ap-south-1, region: ap-south}]"""
          .replace("\n", " ");

  final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  final EndpointStates states =
      new EndpointStates(new SimpleMeterRegistry(), clock::get, Duration.ofMinutes(10));
  final CompiledTable table;

  Fleet(String specExtra, String backendRefs, String status) {
    this(specExtra, backendRefs, status, ctx -> ctx);
  }

  Fleet(
      String specExtra,
      String backendRefs,
      String status,
      java.util.function.UnaryOperator<CompileContext> context) {
    String yaml =
        """
        apiVersion: network.meridian.dev/v1alpha1
        kind: GlobalRoute
        metadata: {name: r, namespace: ns}
        spec:
        %s
          rules:
          - backendRefs: %s
        status: %s
        """
            .formatted(specExtra.indent(2).stripTrailing(), backendRefs, status);
    table =
        Routes.compile(
            yaml,
            context.apply(
                CompileContext.of("edge", "eu-west", states)
                    .withClientRegionHeader("X-Client-Region")));
  }

  static Fleet of(String specExtra) {
    return new Fleet(specExtra, "[{kind: Static, name: s, endpoints: " + ENDPOINTS + "}]", "{}");
  }

  BackendSelector selector() {
    return Routes.forward(table, dev.meridian.gateway.Requests.head("h", "/")).backends();
  }

  Endpoint endpoint(String id) {
    return states.state(id).endpoint();
  }

  void unhealthy(String... ids) {
    for (String id : ids) {
      states.activeHealth(endpoint(id), false);
    }
  }

  /** Clusters (or endpoints, with {@code byCluster} false) chosen over {@code n} picks. */
  Map<String, Integer> picks(RequestHead head, int n, boolean byCluster) {
    BackendSelector s = selector();
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      var e = s.pick(head, Set.of());
      String key = e.map(x -> byCluster ? x.cluster() : x.id()).orElse("none");
      counts.merge(key, 1, Integer::sum);
      e.ifPresent(x -> states.success(x, 1_000_000));
    }
    return counts;
  }
}
