package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meridian.api.ObjectMeta;
import dev.meridian.api.ResourceTypes;
import java.util.List;

/**
 * A PropagationPolicy (namespaced: selects templates of its own namespace) or a
 * ClusterPropagationPolicy (cluster-scoped: selects templates of any namespace and cluster-scoped
 * ones) of {@code policy.meridian.dev/v1alpha1}; both have the same spec and are told apart by
 * {@link #kind()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PropagationPolicy(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

  public static final String API_VERSION =
      ResourceTypes.POLICY + "/" + ResourceTypes.MERIDIAN_VERSION;
  public static final String KIND = "PropagationPolicy";
  public static final String CLUSTER_KIND = "ClusterPropagationPolicy";

  /** Whether this is a ClusterPropagationPolicy. */
  @JsonIgnore
  public boolean isClusterScoped() {
    return CLUSTER_KIND.equals(kind);
  }

  /**
   * How decisions and messages name the policy: {@code namespace/name} for a PropagationPolicy,
   * {@code name} for a ClusterPropagationPolicy.
   */
  @JsonIgnore
  public String reference() {
    String name = metadata == null ? "" : metadata.name();
    String ns = metadata == null || metadata.namespace() == null ? "" : metadata.namespace();
    return isClusterScoped() || ns.isEmpty() ? name : ns + "/" + name;
  }

  /** The spec with its defaults: no placement means anywhere, duplicated. */
  @JsonIgnore
  public Placement placementOrDefault() {
    return spec == null || spec.placement() == null ? Placement.ANYWHERE : spec.placement();
  }

  /**
   * @param priority higher wins when several policies select a template; null means 0
   * @param propagateDependencies also send the ConfigMaps, Secrets, ServiceAccounts and PVCs the
   *     pods use
   * @param conflictResolution what to do when the member already has the object: {@code Abort} (the
   *     default) or {@code Adopt}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(
      List<ResourceSelector> resourceSelectors,
      Integer priority,
      Boolean propagateDependencies,
      ConflictResolution conflictResolution,
      Placement placement,
      Failover failover,
      Rollout rollout) {
    public Spec {
      resourceSelectors = resourceSelectors == null ? List.of() : List.copyOf(resourceSelectors);
    }

    /** The priority, defaulted. */
    public int priorityOrDefault() {
      return priority == null ? 0 : priority;
    }
  }

  public enum ConflictResolution {
    Abort,
    Adopt
  }
}
