package dev.meridian.scheduler;

import dev.meridian.scheduler.internal.SchedulingRun;

/**
 * The placement scheduler: a pure function from a {@link SchedulingInput} to a {@link Decision}. No
 * I/O, no clock, no randomness, no shared state: every hub replica, and {@code meridian plan}
 * offline, reach the same decision from the same input.
 *
 * <p>For each cluster, in this order, every filter that applies adds a reason to leave it out:
 *
 * <ol>
 *   <li>{@code not ready}: its {@code Ready} condition is not {@code True} (unless the policy
 *       tolerates the health controller's taint for that state);
 *   <li>{@code taint}: a {@code NoExecute} or {@code NoSchedule} taint the policy does not tolerate
 *       ({@code NoSchedule} does not remove a cluster that already holds the template);
 *   <li>{@code affinity}: outside {@code clusterAffinity} (names, labels, locations, version,
 *       exclude);
 *   <li>{@code residency}: outside the locations of a {@code Deny} ResidencyPolicy;
 *   <li>{@code api}: its Kubernetes version or discovery does not serve the template's apiVersion;
 *   <li>{@code capacity}: with dynamic weights or Aggregated division, no room for one replica.
 * </ol>
 *
 * Then static weights of 0 drop clusters, spread constraints choose groups, and the replicas are
 * divided. Ordered {@code clusterAffinities} are tried in turn until one yields a placement.
 */
public final class Scheduler {
  private Scheduler() {}

  /**
   * Decides where the input's template goes.
   *
   * @throws IllegalArgumentException when two clusters share a name
   */
  public static Decision schedule(SchedulingInput input) {
    return SchedulingRun.run(input);
  }
}
