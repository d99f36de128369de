package dev.meridian.gateway.health;

import dev.meridian.gateway.Endpoint;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gateway knows about one endpoint, kept by {@link EndpointStates} across table swaps.
 * Compiled tables hold a reference to it so that the hot path reads fields instead of looking the
 * endpoint up. Latency EWMAs are updated with benign races (a lost sample does not matter);
 * counters are atomic.
 */
public final class EndpointState {

  /** Weight of a new latency sample in the EWMA. */
  static final double ALPHA = 0.2;

  private final Endpoint endpoint;
  final ClusterLatency cluster;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile double latencyEwmaNanos;
  private volatile boolean activelyHealthy = true;
  private volatile long ejectedUntilNanos;
  // guarded by this (only on ejection, which is rare)
  int timesEjected;
  long lastEjectionEndNanos;

  /** The current ejection came from connect failures, resets or timeouts (not 5xx answers). */
  boolean ejectedUnreachable;

  volatile BackendGroup group;
  volatile OutlierSettings outlier = OutlierSettings.DEFAULT;
  volatile long lastUsedNanos;

  EndpointState(Endpoint endpoint, ClusterLatency cluster) {
    this.endpoint = endpoint;
    this.cluster = cluster;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  /** Not failing active health checks and not ejected at {@code nowNanos}. */
  public boolean available(long nowNanos) {
    return activelyHealthy && nowNanos - ejectedUntilNanos >= 0;
  }

  public boolean activelyHealthy() {
    return activelyHealthy;
  }

  void activelyHealthy(boolean healthy) {
    activelyHealthy = healthy;
  }

  public boolean ejected(long nowNanos) {
    return nowNanos - ejectedUntilNanos < 0;
  }

  long ejectedUntilNanos() {
    return ejectedUntilNanos;
  }

  void ejectedUntilNanos(long until) {
    ejectedUntilNanos = until;
  }

  public double latencyEwmaNanos() {
    return latencyEwmaNanos;
  }

  /** The EWMA of the latency of the endpoint's cluster as measured by this gateway, or 0. */
  public double clusterLatencyEwmaNanos() {
    return cluster.ewmaNanos();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  /** Counts an attempt sent; {@link EndpointStates#success} or {@code failure} ends it. */
  public void started() {
    inFlight.incrementAndGet();
  }

  void finished() {
    // never below 0 even if the proxy reports an attempt it did not pick through us
    inFlight.getAndUpdate(n -> n > 0 ? n - 1 : 0);
  }

  void recordLatency(long nanos) {
    latencyEwmaNanos = ewma(latencyEwmaNanos, nanos);
    cluster.record(nanos);
  }

  void resetFailures() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  int failed() {
    return consecutiveFailures.incrementAndGet();
  }

  /** The EWMA after one more sample; the first sample is taken as it is. */
  static double ewma(double old, long sample) {
    return old == 0 ? sample : old + ALPHA * (sample - old);
  }

  /** Latency EWMA of one cluster, shared by its endpoints. */
  static final class ClusterLatency {
    private volatile double ewmaNanos;

    double ewmaNanos() {
      return ewmaNanos;
    }

    void record(long nanos) {
      ewmaNanos = ewma(ewmaNanos, nanos);
    }
  }
}
