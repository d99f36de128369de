package dev.meridian.scheduler;

import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.ClusterAffinity;
import dev.meridian.scheduler.internal.AffinityMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler knows of one member cluster, taken from its {@code Cluster} object ({@link
 * #of}) plus, when known, the group/versions its discovery serves.
 *
 * @param location never null; its fields may be
 * @param allocatable what the cluster can still take; null when not reported
 * @param ready the status of its {@code Ready} condition ({@code True}, {@code False}, {@code
 *     Unknown}); null when it has none
 * @param kubernetesVersion as the cluster reports it ({@code v1.37.2}); null when unknown
 * @param servedApis the group/versions of its discovery ({@code v1}, {@code apps/v1}); null when
 *     unknown
 */
public record ClusterView(
    String name,
    Map<String, String> labels,
    Cluster.Location location,
    List<Cluster.Taint> taints,
    Resources allocatable,
    String ready,
    String kubernetesVersion,
    List<String> servedApis) {

  /** The taint the health controller puts on a cluster that answers but is not ready. */
  public static final String NOT_READY_TAINT = "cluster.meridian.dev/not-ready";

  /** The taint the health controller puts on a cluster that stopped answering. */
  public static final String UNREACHABLE_TAINT = "cluster.meridian.dev/unreachable";

  /**
   * The taint (effect {@code NoSchedule}) standing for {@code spec.unschedulable: true}, as
   * Kubernetes does for cordoned nodes.
   */
  public static final String UNSCHEDULABLE_TAINT = "cluster.meridian.dev/unschedulable";

  public ClusterView {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs a name");
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    location = location == null ? new Cluster.Location(null, null, null, null) : location;
    taints = taints == null ? List.of() : List.copyOf(taints);
    servedApis = servedApis == null ? null : List.copyOf(servedApis);
  }

  /**
   * The view of a {@code Cluster} object; its discovery is unknown.
   *
   * @throws IllegalArgumentException when {@code status.allocatable} holds something that is not a
   *     quantity
   */
  public static ClusterView of(Cluster cluster) {
    String name = cluster.metadata() == null ? null : cluster.metadata().name();
    Cluster.Spec spec = cluster.spec();
    Cluster.Status status = cluster.status();
    List<Cluster.Taint> taints = new ArrayList<>();
    if (spec != null) {
      taints.addAll(spec.taints());
      if (Boolean.TRUE.equals(spec.unschedulable())) {
        taints.add(new Cluster.Taint(UNSCHEDULABLE_TAINT, null, "NoSchedule", null));
      }
    }
    Resources allocatable;
    try {
      allocatable =
          status == null || status.allocatable() == null
              ? null
              : Resources.parse(status.allocatable());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cluster " + name + ": status.allocatable." + e.getMessage(), e);
    }
    String ready = null;
    if (status != null && status.conditions() != null) {
      for (Cluster.Condition c : status.conditions()) {
        if ("Ready".equals(c.type())) {
          ready = c.status();
        }
      }
    }
    return new ClusterView(
        name,
        cluster.metadata() == null ? null : cluster.metadata().labels(),
        spec == null ? null : spec.location(),
        taints,
        allocatable,
        ready,
        status == null ? null : status.kubernetesVersion(),
        status == null ? null : status.apiEnablements());
  }

  /** This view with what the cluster's discovery serves. */
  public ClusterView withServedApis(List<String> apis) {
    return new ClusterView(
        name, labels, location, taints, allocatable, ready, kubernetesVersion, apis);
  }

  public boolean isReady() {
    return "True".equals(ready);
  }

  /** Whether the cluster is in the set {@code affinity} describes (as an OverridePolicy target). */
  public boolean matches(ClusterAffinity affinity) {
    return AffinityMatcher.compile(affinity).mismatches(this).isEmpty();
  }
}
