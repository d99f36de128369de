package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Where a policy places its templates.
 *
 * @param clusterAffinity the clusters allowed; null means every cluster
 * @param clusterAffinities ordered alternatives to {@code clusterAffinity} (not both): the first
 *     that yields a placement is used
 * @param clusterTolerations taints tolerated
 * @param spreadConstraints spread over groups of clusters
 * @param replicaScheduling how replicas are shared; null means {@code Duplicated}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Placement(
    ClusterAffinity clusterAffinity,
    List<ClusterAffinity> clusterAffinities,
    List<ClusterToleration> clusterTolerations,
    List<SpreadConstraint> spreadConstraints,
    ReplicaScheduling replicaScheduling) {

  public static final Placement ANYWHERE = new Placement(null, null, null, null, null);

  public Placement {
    clusterAffinities = clusterAffinities == null ? List.of() : List.copyOf(clusterAffinities);
    clusterTolerations = clusterTolerations == null ? List.of() : List.copyOf(clusterTolerations);
    spreadConstraints = spreadConstraints == null ? List.of() : List.copyOf(spreadConstraints);
  }
}
