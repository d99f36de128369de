package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.Meta;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.scheduler.ClusterView;
import java.util.List;
import java.util.Map;

/**
 * What an override rule's {@code targetCluster} may ask about a cluster. A value rather than the
 * Cluster object so that overrides can be rendered for a cluster that is only being planned.
 *
 * @param labels the Cluster's labels
 * @param region empty when unknown; likewise zone, country (ISO 3166-1 alpha-2) and provider
 * @param kubernetesVersion as reported by the member ({@code v1.37.2}); empty when not yet probed,
 *     in which case rules that ask for a version do not target the cluster
 */
public record ClusterFacts(
    String name,
    Map<String, String> labels,
    String region,
    String zone,
    String country,
    String provider,
    String kubernetesVersion) {

  public ClusterFacts {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs a name");
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    region = orEmpty(region);
    zone = orEmpty(zone);
    country = orEmpty(country);
    provider = orEmpty(provider);
    kubernetesVersion = orEmpty(kubernetesVersion);
  }

  /** Facts without a known Kubernetes version. */
  public ClusterFacts(
      String name,
      Map<String, String> labels,
      String region,
      String zone,
      String country,
      String provider) {
    this(name, labels, region, zone, country, provider, "");
  }

  /**
   * Reads a {@code fleet.meridian.dev/v1alpha1 Cluster} object: name and labels from metadata,
   * location from {@code spec.location}, version from {@code status.kubernetesVersion}.
   */
  public static ClusterFacts of(JsonNode cluster) {
    JsonNode location = cluster.path("spec").path("location");
    return new ClusterFacts(
        Meta.name(cluster),
        Meta.labels(cluster),
        location.path("region").asText(""),
        location.path("zone").asText(""),
        location.path("country").asText(""),
        location.path("provider").asText(""),
        cluster.path("status").path("kubernetesVersion").asText(""));
  }

  /** The scheduler's view of these facts, so that rules target clusters as placement does. */
  ClusterView view() {
    return new ClusterView(
        name,
        labels,
        new Cluster.Location(region, zone, country, provider),
        List.of(),
        null,
        null,
        kubernetesVersion.isEmpty() ? null : kubernetesVersion,
        null);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
