package dev.meridian.gateway.health;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.EndpointFeedback;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The long-lived health and latency state of every endpoint, keyed by {@link Endpoint#id()}: it
 * outlives every routing table, so an endpoint keeps its EWMA, its ejection and its active health
 * across configuration swaps. Fed by the proxy ({@link EndpointFeedback}) and by the {@link
 * ActiveHealthChecker}; read by the backend selectors of compiled tables, which hold the {@link
 * EndpointState}s directly.
 *
 * <p>Passive outlier ejection: after {@code consecutiveFailures} failures in a row an endpoint is
 * ejected for {@code baseEjectionTime × 2^(times ejected − 1)}, capped at {@code maxEjectionTime},
 * unless {@code maxEjectionPercent} of its backend is already ejected. The multiplier starts again
 * from 1 once an endpoint has gone {@code maxEjectionTime} without an ejection.
 *
 * <p>An endpoint that no compiled table has used for {@code forgetAfter} is forgotten.
 */
public final class EndpointStates implements EndpointFeedback {

  public static final Duration DEFAULT_FORGET_AFTER = Duration.ofMinutes(10);

  private final Map<String, EndpointState> states = new ConcurrentHashMap<>();
  private final Map<String, EndpointState.ClusterLatency> clusters = new ConcurrentHashMap<>();
  private final Map<String, BackendGroup> groups = new ConcurrentHashMap<>();
  private final Map<String, Counter> ejections = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final LongSupplier nanoClock;
  private final long forgetAfterNanos;

  public EndpointStates(MeterRegistry registry) {
    this(registry, System::nanoTime, DEFAULT_FORGET_AFTER);
  }

  /** With a clock for tests ({@link System#nanoTime} semantics). */
  public EndpointStates(MeterRegistry registry, LongSupplier nanoClock, Duration forgetAfter) {
    this.registry = registry;
    this.nanoClock = nanoClock;
    this.forgetAfterNanos = forgetAfter.toNanos();
  }

  /** The clock every state is read with. */
  public long nanoTime() {
    return nanoClock.getAsLong();
  }

  /**
   * The state of {@code endpoint}, created if new, marked as used by a table being compiled. It
   * keeps the default outlier settings until {@link #backend} declares it.
   */
  public EndpointState track(Endpoint endpoint) {
    EndpointState s =
        states.computeIfAbsent(
            endpoint.id(),
            id ->
                new EndpointState(
                    endpoint,
                    clusters.computeIfAbsent(
                        endpoint.cluster(), c -> new EndpointState.ClusterLatency())));
    s.lastUsedNanos = nanoClock.getAsLong();
    return s;
  }

  /**
   * Declares the members of one backend, over which {@code maxEjectionPercent} is counted, and the
   * outlier settings of the route that holds it (the last declared wins when several routes share
   * an endpoint). The compiler calls it only for routes that compiled whole.
   *
   * @param key {@code namespace/kind/name:port}
   */
  public void backend(String key, List<EndpointState> members, OutlierSettings outlier) {
    BackendGroup g = groups.computeIfAbsent(key, BackendGroup::new);
    g.members = members.toArray(new EndpointState[0]);
    for (EndpointState s : members) {
      s.group = g;
      s.outlier = outlier;
    }
  }

  /**
   * Forgets endpoints and backends that no table compiled within {@code forgetAfter} uses; called
   * by the compiler after each compilation.
   */
  public void forgetUnused() {
    long now = nanoClock.getAsLong();
    states.values().removeIf(s -> now - s.lastUsedNanos > forgetAfterNanos);
    groups
        .values()
        .removeIf(
            g -> g.members.length == 0 || now - g.members[0].lastUsedNanos > forgetAfterNanos);
  }

  /** The state of an endpoint, or null if unknown. */
  public EndpointState state(String endpointId) {
    return states.get(endpointId);
  }

  public int size() {
    return states.size();
  }

  @Override
  public void success(Endpoint endpoint, long latencyNanos) {
    EndpointState s = states.get(endpoint.id());
    if (s == null) {
      return;
    }
    s.finished();
    s.resetFailures();
    if (latencyNanos > 0) {
      s.recordLatency(latencyNanos);
    }
  }

  @Override
  public void failure(Endpoint endpoint, Failure failure) {
    EndpointState s = states.get(endpoint.id());
    if (s == null) {
      return;
    }
    s.finished();
    OutlierSettings o = s.outlier;
    if (s.failed() >= o.consecutiveFailures()) {
      maybeEject(s, o, failure != Failure.STATUS_5XX);
    }
  }

  /**
   * Feeds a health probe's round trip into the latency of the endpoint's cluster (how near the
   * cluster is to this gateway), without touching the endpoint's own EWMA.
   */
  public void probeLatency(Endpoint endpoint, long nanos) {
    EndpointState s = states.get(endpoint.id());
    if (s != null && nanos > 0) {
      s.cluster.record(nanos);
    }
  }

  /**
   * Records a change of active health decided by the checker. An endpoint that comes back from
   * failing its active checks is also let out of a passive ejection: the checks saw the outage and
   * now see the recovery (a cluster that was down and is up again gets traffic at the next probe,
   * not after the ejection time).
   */
  public void activeHealth(Endpoint endpoint, boolean healthy) {
    EndpointState s = states.get(endpoint.id());
    if (s == null) {
      return;
    }
    boolean recovered = healthy && !s.activelyHealthy();
    s.activelyHealthy(healthy);
    if (recovered) {
      uneject(s, false);
    }
  }

  /**
   * Records one passing health probe. An endpoint ejected because it could not be reached (connect
   * failures, resets, timeouts) is let back at once: the probe just reached it, so an outage
   * shorter than the checks' unhealthy threshold costs no more than one interval. An endpoint
   * ejected for 5xx answers stays out for its ejection time, unlike Envoy's {@code
   * successful_active_health_check_uneject_host}: a backend that answers its health path but fails
   * real requests is not let back every interval.
   */
  public void probePassed(Endpoint endpoint) {
    EndpointState s = states.get(endpoint.id());
    if (s != null && s.ejected(nanoClock.getAsLong())) { // no lock for the usual endpoint
      uneject(s, true);
    }
  }

  /**
   * Ends {@code s}'s ejection, if it is ejected (and, with {@code onlyUnreachable}, if the ejection
   * came from connection failures); under its lock, as ejections are decided.
   */
  private void uneject(EndpointState s, boolean onlyUnreachable) {
    long now = nanoClock.getAsLong();
    synchronized (s) {
      if (s.ejected(now) && (s.ejectedUnreachable || !onlyUnreachable)) {
        s.ejectedUntilNanos(now);
        s.lastEjectionEndNanos = now;
      }
    }
  }

  private void maybeEject(EndpointState s, OutlierSettings o, boolean unreachable) {
    long now = nanoClock.getAsLong();
    synchronized (s) {
      if (s.ejected(now)) {
        return;
      }
      BackendGroup g = s.group;
      if (g != null) {
        int members = g.members.length;
        int allowed = Math.max(1, members * o.maxEjectionPercent() / 100);
        if (o.maxEjectionPercent() == 0 || g.ejectedAt(now) >= allowed) {
          return;
        }
      }
      long max = o.maxEjectionTime().toNanos();
      if (s.timesEjected > 0 && now - s.lastEjectionEndNanos > max) {
        s.timesEjected = 0;
      }
      s.timesEjected++;
      long base = o.baseEjectionTime().toNanos();
      int shift = Math.min(s.timesEjected - 1, 30);
      long duration = base > (max >> shift) ? max : Math.min(max, base << shift);
      s.ejectedUntilNanos(now + duration);
      s.lastEjectionEndNanos = now + duration;
      s.ejectedUnreachable = unreachable;
      s.resetFailures();
    }
    ejections
        .computeIfAbsent(
            s.endpoint().cluster(),
            c ->
                Counter.builder("meridian.gateway.ejections")
                    .description("Endpoints ejected by passive outlier detection")
                    .tag("cluster", c)
                    .register(registry))
        .increment();
  }
}
