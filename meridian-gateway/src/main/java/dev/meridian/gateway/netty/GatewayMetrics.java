package dev.meridian.gateway.netty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The gateway's meters. Each (route, cluster) gets its meters once and keeps them, so that a
 * request costs two lookups by strings whose hashes are cached (the route's id and the endpoint's
 * cluster live as long as the routing table), no allocation, and the meters' own updates; it never
 * builds tags or asks the registry.
 *
 * <p>Prometheus names: {@code meridian_gateway_requests_total{route,cluster,code}}, {@code
 * meridian_gateway_request_duration_seconds{route,cluster}} (histogram), {@code
 * meridian_gateway_retries_total{route}}, {@code meridian_gateway_upstream_errors_total{cluster,
 * kind}}, {@code meridian_gateway_downstream_connections} and {@code
 * meridian_gateway_upstream_connections} (open now), {@code
 * meridian_gateway_backpressure_pauses_total{paused=client|backend}}.
 */
final class GatewayMetrics {

  private static final String[] CODE_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private record Pair(String a, String b) {}

  private final MeterRegistry registry;
  private final ConcurrentMap<String, RouteMeters> requests = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> retries = new ConcurrentHashMap<>();
  private final ConcurrentMap<Pair, Counter> upstreamErrors = new ConcurrentHashMap<>();
  private final AtomicInteger downstreamConnections = new AtomicInteger();
  private final AtomicInteger upstreamConnections = new AtomicInteger();
  private final Counter clientPauses;
  private final Counter backendPauses;

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(
            "meridian.gateway.downstream.connections", downstreamConnections, AtomicInteger::get)
        .description("Open client connections")
        .register(registry);
    Gauge.builder("meridian.gateway.upstream.connections", upstreamConnections, AtomicInteger::get)
        .description("Open (or opening) backend connections")
        .register(registry);
    clientPauses =
        Counter.builder("meridian.gateway.backpressure.pauses")
            .tag("paused", "client")
            .description("Times reading a client stopped because its backend could not keep up")
            .register(registry);
    backendPauses =
        Counter.builder("meridian.gateway.backpressure.pauses")
            .tag("paused", "backend")
            .description("Times reading a backend stopped because its client could not keep up")
            .register(registry);
  }

  /** Reading a client stopped: the backend connection is not writable. */
  void clientPaused() {
    clientPauses.increment();
  }

  /** Reading a backend stopped: the client connection is not writable. */
  void backendPaused() {
    backendPauses.increment();
  }

  AtomicInteger downstreamConnections() {
    return downstreamConnections;
  }

  AtomicInteger upstreamConnections() {
    return upstreamConnections;
  }

  void request(String route, String cluster, int status, long nanos) {
    RouteMeters byCluster = requests.get(route);
    if (byCluster == null) {
      byCluster = requests.computeIfAbsent(route, RouteMeters::new);
    }
    byCluster.of(cluster).record(status, nanos);
  }

  void retry(String route) {
    retries
        .computeIfAbsent(
            route,
            r -> Counter.builder("meridian.gateway.retries").tag("route", r).register(registry))
        .increment();
  }

  void upstreamError(String cluster, String kind) {
    upstreamErrors
        .computeIfAbsent(
            new Pair(cluster, kind),
            k ->
                counter("meridian.gateway.upstream.errors", "cluster", k.a(), "kind", k.b())
                    .register(registry))
        .increment();
  }

  private static Counter.Builder counter(String name, String k1, String v1, String k2, String v2) {
    return Counter.builder(name).tag(k1, v1).tag(k2, v2);
  }

  /** The meters of one route, by cluster. */
  private final class RouteMeters {
    private final String route;
    private final ConcurrentMap<String, ClusterMeters> byCluster = new ConcurrentHashMap<>();

    RouteMeters(String route) {
      this.route = route;
    }

    ClusterMeters of(String cluster) {
      ClusterMeters m = byCluster.get(cluster);
      return m != null ? m : byCluster.computeIfAbsent(cluster, c -> new ClusterMeters(route, c));
    }
  }

  /**
   * The meters of one (route, cluster): a request counter per code class, registered when first
   * used (so that /metrics shows only classes that happened), and the latency histogram.
   */
  private final class ClusterMeters {
    private final String route;
    private final String cluster;
    private final AtomicReferenceArray<Counter> byClass =
        new AtomicReferenceArray<>(CODE_CLASSES.length + 1);
    private final Timer duration;

    ClusterMeters(String route, String cluster) {
      this.route = route;
      this.cluster = cluster;
      this.duration =
          Timer.builder("meridian.gateway.request.duration")
              .tag("route", route)
              .tag("cluster", cluster)
              .publishPercentileHistogram()
              .register(registry);
    }

    void record(int status, long nanos) {
      int i = status >= 100 && status < 600 ? status / 100 - 1 : CODE_CLASSES.length;
      Counter c = byClass.get(i);
      if (c == null) {
        c = register(i);
      }
      c.increment();
      duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    private synchronized Counter register(int i) {
      Counter c = byClass.get(i);
      if (c == null) {
        String code = i < CODE_CLASSES.length ? CODE_CLASSES[i] : "other";
        c =
            counter("meridian.gateway.requests", "route", route, "cluster", cluster)
                .tag("code", code)
                .register(registry);
        byClass.set(i, c);
      }
      return c;
    }
  }
}
