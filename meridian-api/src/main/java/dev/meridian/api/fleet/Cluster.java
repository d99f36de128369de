package dev.meridian.api.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meridian.api.ObjectMeta;
import dev.meridian.api.ResourceTypes;
import java.util.List;
import java.util.Map;

/** A member cluster of the fleet ({@code fleet.meridian.dev/v1alpha1}, cluster-scoped). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cluster(
    String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) {

  public static final String API_VERSION =
      ResourceTypes.FLEET + "/" + ResourceTypes.MERIDIAN_VERSION;
  public static final String KIND = "Cluster";

  /** Desired state. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(
      Connection connection,
      SyncMode syncMode,
      Location location,
      Cost cost,
      List<Taint> taints,
      Boolean unschedulable) {
    public Spec {
      taints = taints == null ? List.of() : List.copyOf(taints);
    }
  }

  /** How the hub reaches the cluster: exactly one field is set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Connection(KubeconfigSecret kubeconfigSecret, Simulated simulated) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KubeconfigSecret(String name, String namespace, String context) {}

  /** A cluster simulated inside the hub, for demos, what-if planning and scale tests. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Simulated(
      Map<String, String> capacity,
      Integer apiLatencyMs,
      String failure,
      Integer slowFactor,
      Boolean servePods) {}

  public enum SyncMode {
    Push,
    Pull
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Location(String region, String zone, String country, String provider) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cost(Double cpuHour, Double memoryGiBHour, Double fixedMonthly, String currency) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Taint(String key, String value, String effect, String timeAdded) {}

  /** Observed state, written by the health controller. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Status(
      List<Condition> conditions,
      String kubernetesVersion,
      String distribution,
      Map<String, String> allocatable,
      Map<String, String> capacity,
      Double apiLatencyMs,
      String lastProbeTime,
      Integer nodeCount,
      List<String> apiEnablements) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(
      String type,
      String status,
      String reason,
      String message,
      String lastTransitionTime,
      Long observedGeneration) {}
}
