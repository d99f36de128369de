package dev.meridian.gateway.health;

import java.time.Duration;

/**
 * A route's {@code spec.outlierDetection}: after {@code consecutiveFailures} failed attempts in a
 * row an endpoint is ejected for {@code baseEjectionTime × 2^(times ejected − 1)}, at most {@code
 * maxEjectionTime}; at most {@code maxEjectionPercent}% of a backend's endpoints are ejected at
 * once (but always at least one, as in Envoy). The defaults are Envoy's.
 */
public record OutlierSettings(
    int consecutiveFailures,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent) {

  public static final OutlierSettings DEFAULT =
      new OutlierSettings(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 10);

  public OutlierSettings {
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException("consecutiveFailures must be >= 1");
    }
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException("maxEjectionPercent must be in [0, 100]");
    }
    if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      throw new IllegalArgumentException("maxEjectionTime is shorter than baseEjectionTime");
    }
  }
}
