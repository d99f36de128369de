package dev.meridian.scheduler;

import dev.meridian.api.Quantities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Amounts of cpu, memory and pods: a cluster's allocatable, or what one replica requests. A null
 * component is unknown (allocatable) or not requested (requests) and constrains nothing.
 */
public record Resources(Long cpuMillis, Long memoryBytes, Long pods) {

  public static final Resources NONE = new Resources(null, null, null);

  /**
   * Reads {@code {cpu, memory, pods}} written as Kubernetes quantities; other entries (such as
   * {@code ephemeral-storage}) are ignored.
   *
   * @throws IllegalArgumentException naming the entry that is not a quantity
   */
  public static Resources parse(Map<String, String> quantities) {
    if (quantities == null) {
      return NONE;
    }
    return new Resources(
        read(quantities, "cpu", true),
        read(quantities, "memory", false),
        read(quantities, "pods", false));
  }

  /**
   * How many replicas requesting {@code perReplica} fit in these amounts (each replica is one pod);
   * {@link Integer#MAX_VALUE} when nothing bounds them.
   */
  public int fit(Resources perReplica) {
    long fit = Integer.MAX_VALUE;
    fit = Math.min(fit, dimension(cpuMillis, perReplica.cpuMillis));
    fit = Math.min(fit, dimension(memoryBytes, perReplica.memoryBytes));
    fit = Math.min(fit, dimension(pods, 1L));
    return (int) Math.max(0, fit);
  }

  /** As Kubernetes writes it: {@code cpu 500m, memory 64Mi, pods 110}; unknown parts left out. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (cpuMillis != null) {
      parts.add("cpu " + Quantities.formatCpu(cpuMillis));
    }
    if (memoryBytes != null) {
      parts.add("memory " + Quantities.formatBytes(memoryBytes));
    }
    if (pods != null) {
      parts.add("pods " + pods);
    }
    return parts.isEmpty() ? "nothing" : String.join(", ", parts);
  }

  private static long dimension(Long available, Long needed) {
    if (available == null || needed == null || needed <= 0) {
      return Integer.MAX_VALUE;
    }
    return available / needed;
  }

  private static Long read(Map<String, String> quantities, String key, boolean cpu) {
    String text = quantities.get(key);
    if (text == null) {
      return null;
    }
    try {
      return cpu ? Quantities.cpuMillis(text) : Quantities.units(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }
}
