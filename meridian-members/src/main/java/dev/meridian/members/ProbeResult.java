package dev.meridian.members;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a probe of a member found.
 *
 * @param ready whether the API server reports itself ready ({@code /readyz})
 * @param readiness the API server's own words about readiness ({@code ok}, or the failed checks)
 * @param kubernetesVersion the server's {@code gitVersion}, e.g. {@code v1.37.2}
 * @param distribution best guess from the version string and node labels: {@code kubeadm}, {@code
 *     k3s}, {@code eks}, {@code gke}, {@code aks}, {@code kind}, {@code simulated} or {@code
 *     unknown}
 * @param capacity the sum of the nodes' allocatable resources
 * @param allocatable what is left of {@code capacity} after the requests of running pods
 * @param nodeCount the number of nodes
 * @param apiLatency how long the API server took to answer the readiness check
 * @param region the most common {@code topology.kubernetes.io/region} among the nodes, or null
 * @param zone the most common {@code topology.kubernetes.io/zone} among the nodes, or null
 * @param simulated true for a cluster simulated inside the hub
 * @param servedApis the group/versions its discovery serves ({@code v1}, {@code apps/v1}), or null
 *     when unknown
 */
public record ProbeResult(
    boolean ready,
    String readiness,
    String kubernetesVersion,
    String distribution,
    ResourceAmounts capacity,
    ResourceAmounts allocatable,
    int nodeCount,
    Duration apiLatency,
    String region,
    String zone,
    Instant probedAt,
    boolean simulated,
    List<String> servedApis) {

  public static final String SIMULATED = "simulated";
  public static final String UNKNOWN = "unknown";

  public ProbeResult {
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(kubernetesVersion, "kubernetesVersion");
    Objects.requireNonNull(distribution, "distribution");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(allocatable, "allocatable");
    Objects.requireNonNull(apiLatency, "apiLatency");
    Objects.requireNonNull(probedAt, "probedAt");
    servedApis = servedApis == null ? null : List.copyOf(servedApis);
  }

  /** {@link #apiLatency()} in milliseconds, with a fractional part. */
  public double apiLatencyMs() {
    return apiLatency.toNanos() / 1_000_000.0;
  }

  public Optional<String> topologyRegion() {
    return Optional.ofNullable(region);
  }

  public Optional<String> topologyZone() {
    return Optional.ofNullable(zone);
  }
}
