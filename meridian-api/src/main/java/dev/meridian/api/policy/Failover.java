package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the failover controller does when a cluster holding the template becomes unhealthy.
 *
 * @param tolerationSeconds how long an unhealthy cluster keeps its placement before eviction
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
