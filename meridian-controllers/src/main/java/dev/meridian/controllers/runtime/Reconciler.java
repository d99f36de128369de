package dev.meridian.controllers.runtime;

import java.time.Duration;

/**
 * One controller's logic: bring the world in line with the desired state of one object, by key.
 * Level-triggered and idempotent: it reads what is, not what changed, so a crash or a missed event
 * is repaired by the next pass. Throwing retries with backoff.
 */
@FunctionalInterface
public interface Reconciler {
  /**
   * @return when to look at this key again even without a change, or null for never
   */
  Duration reconcile(String key) throws Exception;
}
