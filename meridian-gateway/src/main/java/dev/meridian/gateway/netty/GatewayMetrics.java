package dev.meridian.gateway.netty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's meters. Each (route, cluster, code class) gets its meters once and keeps them in a
 * map, so the hot path does one map lookup per request instead of building tags and asking the
 * registry.
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

  private record Key(String route, String cluster, String code) {}

  private record Pair(String a, String b) {}

  private final MeterRegistry registry;
  private final ConcurrentMap<Key, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentMap<Pair, Timer> durations = new ConcurrentHashMap<>();
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
    String code = status >= 100 && status < 600 ? CODE_CLASSES[status / 100 - 1] : "other";
    requests
        .computeIfAbsent(
            new Key(route, cluster, code),
            k ->
                counter("meridian.gateway.requests", "route", k.route(), "cluster", k.cluster())
                    .tag("code", k.code())
                    .register(registry))
        .increment();
    durations
        .computeIfAbsent(
            new Pair(route, cluster),
            k ->
                Timer.builder("meridian.gateway.request.duration")
                    .tag("route", k.a())
                    .tag("cluster", k.b())
                    .publishPercentileHistogram()
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
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
}
