package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A set of clusters described by name, labels, location and Kubernetes version; every field that is
 * set must match (an empty affinity matches every cluster). The same shape serves {@code
 * placement.clusterAffinity}, each of the ordered {@code placement.clusterAffinities} (which name
 * themselves with {@code affinityName}), the {@code clusters} of a static weight rule and an
 * OverridePolicy's {@code targetCluster}.
 *
 * @param affinityName the name of one of the ordered {@code clusterAffinities}; null elsewhere
 * @param names the cluster must be one of these
 * @param labelSelector on the Cluster's labels; read it with {@link
 *     dev.meridian.api.LabelSelector#fromJson}
 * @param exclude clusters never matched, whatever else matches
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterAffinity(
    String affinityName,
    List<String> names,
    JsonNode labelSelector,
    Locations locations,
    VersionRange kubernetesVersion,
    List<String> exclude) {

  public ClusterAffinity {
    names = names == null ? List.of() : List.copyOf(names);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
  }

  /** Matches every cluster. */
  public static final ClusterAffinity ANY = new ClusterAffinity(null, null, null, null, null, null);

  /** Field selectors on {@code spec.location}: each list that is not empty must hold the value. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Locations(
      List<String> regions, List<String> zones, List<String> countries, List<String> providers) {
    public Locations {
      regions = regions == null ? List.of() : List.copyOf(regions);
      zones = zones == null ? List.of() : List.copyOf(zones);
      countries = countries == null ? List.of() : List.copyOf(countries);
      providers = providers == null ? List.of() : List.copyOf(providers);
    }
  }

  /**
   * Bounds on {@code status.kubernetesVersion}, both inclusive, compared on as many components as
   * written: {@code max: "1.30"} admits every 1.30 patch release.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VersionRange(String min, String max) {}
}
