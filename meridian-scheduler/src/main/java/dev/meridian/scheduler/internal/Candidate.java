package dev.meridian.scheduler.internal;

import dev.meridian.scheduler.ClusterView;
import java.util.Comparator;

/**
 * A cluster as one scheduling run sees it.
 *
 * @param previous replicas it holds now (0 when none, or when rebalancing ignores them)
 * @param headroom replicas it can still take ({@code Integer.MAX_VALUE} when nothing bounds them);
 *     -1 when its allocatable is unknown
 * @param available replicas it can hold in all: headroom plus what it holds now; -1 when unknown
 * @param preferNoSchedule untolerated {@code PreferNoSchedule} taints
 */
public record Candidate(
    ClusterView view, int previous, int headroom, int available, int preferNoSchedule) {

  public String name() {
    return view.name();
  }

  /** Allocatable cpu in millicores (0 when unknown): capacity where replicas do not tell it. */
  public long cpuMillis() {
    return view.allocatable() == null || view.allocatable().cpuMillis() == null
        ? 0
        : view.allocatable().cpuMillis();
  }

  /**
   * The order in which the scheduler prefers clusters when it must choose among them (Aggregated,
   * spread groups): the ones already holding replicas (most first), then without untolerated {@code
   * PreferNoSchedule} taints, then the most available capacity, then by name.
   */
  public static final Comparator<Candidate> PREFERENCE =
      Comparator.comparingInt((Candidate c) -> -c.previous)
          .thenComparingInt(c -> c.preferNoSchedule)
          .thenComparingLong(c -> -(long) c.available)
          .thenComparingLong(c -> -c.cpuMillis())
          .thenComparing(Candidate::name);
}
