package dev.meridian.gateway.health;

import java.util.List;

/** What a routing table asks the {@link ActiveHealthChecker} to probe. */
public interface HealthTargets {

  /** Every endpoint that has a health check, once per route that holds it. */
  List<HealthTarget> healthTargets();
}
