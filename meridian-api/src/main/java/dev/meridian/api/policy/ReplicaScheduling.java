package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * How a template's replicas ({@code spec.replicas}) are shared among the selected clusters.
 *
 * @param type {@code Duplicated} (every cluster runs all replicas; the default) or {@code Divided}
 * @param division for {@code Divided}: {@code Weighted} (the default) or {@code Aggregated}
 * @param weights for {@code Divided}/{@code Weighted}: static rules or dynamic weights; none means
 *     equal weights
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplicaScheduling(Type type, Division division, Weights weights) {

  public enum Type {
    Duplicated,
    Divided
  }

  public enum Division {
    Weighted,
    Aggregated
  }

  /** The type, defaulted. */
  public Type typeOrDefault() {
    return type == null ? Type.Duplicated : type;
  }

  /** The division, defaulted. */
  public Division divisionOrDefault() {
    return division == null ? Division.Weighted : division;
  }

  /**
   * Exactly one of {@code static} (rules giving clusters a weight) and {@code dynamic}.
   *
   * @param staticWeights written {@code static} in a policy
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Weights(
      @JsonProperty("static") List<StaticWeight> staticWeights, DynamicWeight dynamic) {
    public Weights {
      staticWeights = staticWeights == null ? List.of() : List.copyOf(staticWeights);
    }
  }

  /** A cluster's static weight is the largest weight among the rules whose clusters it matches. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record StaticWeight(ClusterAffinity clusters, Long weight) {}

  /** Weights computed at scheduling time. */
  public enum DynamicWeight {
    /** The replicas each cluster can still take, from its allocatable and the pod's requests. */
    AvailableReplicas
  }
}
