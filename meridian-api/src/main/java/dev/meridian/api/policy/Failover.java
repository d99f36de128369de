package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the failover controller does when a cluster holding the template becomes unhealthy.
 *
 * @param tolerationSeconds how long an unhealthy cluster (tainted {@code not-ready} or {@code
 *     unreachable}, {@code NoExecute}) keeps its placement before eviction, when no {@code
 *     clusterTolerations} entry matches the taint; null: evicted at once
 * @param gracePeriodSeconds for {@code Graceful}: how long old replicas stay once new ones run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Failover(Long tolerationSeconds, PurgeMode purgeMode, Long gracePeriodSeconds) {

  public enum PurgeMode {
    Immediately,
    Graceful,
    Never
  }
}
