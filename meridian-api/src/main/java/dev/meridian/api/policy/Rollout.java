package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Rolls a change out to the selected clusters in waves. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Rollout(List<Wave> waves) {
  public Rollout {
    waves = waves == null ? List.of() : List.copyOf(waves);
  }

  /**
   * One wave: the clusters whose labels match {@code clusterSelector}, at most {@code
   * maxConcurrency} at a time.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Wave(JsonNode clusterSelector, Integer maxConcurrency) {}
}
