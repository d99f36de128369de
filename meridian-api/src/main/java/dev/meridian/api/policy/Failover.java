package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the failover controller does when a cluster holding the template becomes unhealthy.
 *
 * @param tolerationSeconds how long an unhealthy cluster (tainted {@code not-ready} or {@code
 *     unreachable}, {@code NoExecute}) keeps its placement before eviction, when no {@code
 *     clusterTolerations} entry matches the taint; null: {@link #DEFAULT_TOLERATION_SECONDS}
 * @param gracePeriodSeconds for {@code Graceful}: how long old replicas stay once new ones run
 * @param failback what happens when a cluster whose replicas were moved away is healthy again;
 *     null: {@code Automatic} after {@link #DEFAULT_STABLE_SECONDS}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Failover(
    Long tolerationSeconds, PurgeMode purgeMode, Long gracePeriodSeconds, Failback failback) {

  /** How long a recovered cluster must stay Ready before it gets its replicas back. */
  public static final long DEFAULT_STABLE_SECONDS = 300;

  /**
   * @param mode {@code Automatic} (the default) or {@code Manual} ({@code meridian rebalance})
   * @param stableSeconds how long the cluster must have been Ready; null: {@link
   *     #DEFAULT_STABLE_SECONDS}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Failback(Mode mode, Long stableSeconds) {
    public enum Mode {
      Automatic,
      Manual
    }
  }

  /**
   * How long a cluster keeps its placements under a health taint when the policy says nothing
   * (neither a matching {@code clusterTolerations} entry nor {@code tolerationSeconds}): long
   * enough that a blip moves nothing, short enough to fail over well before Kubernetes' and
   * Karmada's 300 s. {@code tolerationSeconds: 0} evicts at once.
   */
  public static final long DEFAULT_TOLERATION_SECONDS = 30;

  public enum PurgeMode {
    Immediately,
    Graceful,
    Never
  }
}
