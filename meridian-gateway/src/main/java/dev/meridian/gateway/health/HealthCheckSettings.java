package dev.meridian.gateway.health;

import java.time.Duration;

/**
 * A route's {@code spec.healthCheck}: {@code GET path} every {@code interval}, answered with a 2xx
 * or 3xx within {@code timeout}; {@code unhealthyThreshold} failures in a row mark the endpoint
 * unhealthy, {@code healthyThreshold} successes in a row mark it healthy again.
 */
public record HealthCheckSettings(
    String path,
    Duration interval,
    Duration timeout,
    int unhealthyThreshold,
    int healthyThreshold) {

  public static final HealthCheckSettings DEFAULT =
      new HealthCheckSettings("/healthz", Duration.ofSeconds(1), Duration.ofMillis(500), 2, 1);

  public HealthCheckSettings {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("health check path must start with /: " + path);
    }
    if (interval.toMillis() < 1 || timeout.toMillis() < 1) {
      throw new IllegalArgumentException("health check interval and timeout must be >= 1ms");
    }
    if (unhealthyThreshold < 1 || healthyThreshold < 1) {
      throw new IllegalArgumentException("health check thresholds must be >= 1");
    }
  }
}
