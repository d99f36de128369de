package dev.meridian.members;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An amount of the three resources the fleet schedules by, in whole base units.
 *
 * @param cpuMillis CPU in millicores ({@code "1.5"} = 1500)
 * @param memoryBytes memory in bytes
 * @param pods pod slots
 */
public record ResourceAmounts(long cpuMillis, long memoryBytes, long pods) {

  public static final ResourceAmounts ZERO = new ResourceAmounts(0, 0, 0);

  private static final long KI = 1024;

  /**
   * Reads a Kubernetes resource map ({@code {cpu: "64", memory: 256Gi, pods: "110"}}); missing
   * entries are zero.
   *
   * @throws IllegalArgumentException if a quantity is malformed
   */
  public static ResourceAmounts parse(Map<String, String> quantities) {
    if (quantities == null) {
      return ZERO;
    }
    return new ResourceAmounts(
        cpuMillis(quantities.get("cpu")),
        bytes(quantities.get("memory")),
        count(quantities.get("pods")));
  }

  /** Reads a resource map kept as a JSON object, as in a pod's {@code resources.requests}. */
  public static ResourceAmounts parse(JsonNode quantities) {
    if (quantities == null || !quantities.isObject()) {
      return ZERO;
    }
    return new ResourceAmounts(
        cpuMillis(text(quantities.get("cpu"))),
        bytes(text(quantities.get("memory"))),
        count(text(quantities.get("pods"))));
  }

  /** CPU quantity in millicores, rounded up; null or empty is zero. */
  public static long cpuMillis(String quantity) {
    return quantity == null || quantity.isBlank()
        ? 0
        : toLong(quantity(quantity).movePointRight(3), quantity);
  }

  /** Memory (or any byte) quantity in bytes, rounded up; null or empty is zero. */
  public static long bytes(String quantity) {
    return quantity == null || quantity.isBlank() ? 0 : toLong(quantity(quantity), quantity);
  }

  private static long count(String quantity) {
    return bytes(quantity);
  }

  /**
   * What one pod asks the scheduler for, as Kubernetes computes it: the larger of the app
   * containers' requests (plus restartable init containers, i.e. sidecars) and the largest one-off
   * init container (plus the sidecars started before it), pod-level requests taking precedence,
   * plus the pod overhead, and one pod slot.
   */
  public static ResourceAmounts podRequests(JsonNode podSpec) {
    ResourceAmounts apps = ZERO;
    for (JsonNode c : podSpec.path("containers")) {
      apps = apps.plus(containerRequests(c));
    }
    ResourceAmounts sidecars = ZERO;
    ResourceAmounts initPeak = ZERO;
    for (JsonNode c : podSpec.path("initContainers")) {
      ResourceAmounts r = containerRequests(c);
      if ("Always".equals(c.path("restartPolicy").asText())) {
        sidecars = sidecars.plus(r);
        initPeak = initPeak.max(sidecars);
      } else {
        initPeak = initPeak.max(sidecars.plus(r));
      }
    }
    ResourceAmounts effective = apps.plus(sidecars).max(initPeak);
    JsonNode podLevel = podSpec.path("resources").path("requests");
    if (podLevel.isObject()) {
      ResourceAmounts p = parse(podLevel);
      effective =
          new ResourceAmounts(
              podLevel.has("cpu") ? p.cpuMillis : effective.cpuMillis,
              podLevel.has("memory") ? p.memoryBytes : effective.memoryBytes,
              0);
    }
    ResourceAmounts overhead = parse(podSpec.path("overhead"));
    return new ResourceAmounts(
        effective.cpuMillis + overhead.cpuMillis, effective.memoryBytes + overhead.memoryBytes, 1);
  }

  private static ResourceAmounts containerRequests(JsonNode container) {
    JsonNode resources = container.path("resources");
    JsonNode requests = resources.path("requests");
    // Kubernetes defaults a missing request to the limit.
    JsonNode limits = resources.path("limits");
    return new ResourceAmounts(
        cpuMillis(text(requests.has("cpu") ? requests.get("cpu") : limits.get("cpu"))),
        bytes(text(requests.has("memory") ? requests.get("memory") : limits.get("memory"))),
        0);
  }

  public ResourceAmounts plus(ResourceAmounts o) {
    return new ResourceAmounts(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes, pods + o.pods);
  }

  public ResourceAmounts minus(ResourceAmounts o) {
    return new ResourceAmounts(cpuMillis - o.cpuMillis, memoryBytes - o.memoryBytes, pods - o.pods);
  }

  public ResourceAmounts times(long n) {
    return new ResourceAmounts(cpuMillis * n, memoryBytes * n, pods * n);
  }

  public ResourceAmounts max(ResourceAmounts o) {
    return new ResourceAmounts(
        Math.max(cpuMillis, o.cpuMillis),
        Math.max(memoryBytes, o.memoryBytes),
        Math.max(pods, o.pods));
  }

  /** This amount with negative components raised to zero. */
  public ResourceAmounts atLeastZero() {
    return max(ZERO);
  }

  /** True if {@code o} fits in this amount. */
  public boolean covers(ResourceAmounts o) {
    return cpuMillis >= o.cpuMillis && memoryBytes >= o.memoryBytes && pods >= o.pods;
  }

  /** How many copies of {@code each} fit in this amount (each must ask for at least one pod). */
  public long howManyFit(ResourceAmounts each) {
    if (each.pods <= 0) {
      throw new IllegalArgumentException("each copy must take a pod slot");
    }
    long n = Math.max(0, pods) / each.pods;
    if (each.cpuMillis > 0) {
      n = Math.min(n, Math.max(0, cpuMillis) / each.cpuMillis);
    }
    if (each.memoryBytes > 0) {
      n = Math.min(n, Math.max(0, memoryBytes) / each.memoryBytes);
    }
    return n;
  }

  /** As Kubernetes writes it: {@code {cpu: "1500m", memory: "4Gi", pods: "110"}}. */
  public Map<String, String> toQuantities() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("cpu", Quantities.formatCpu(cpuMillis));
    out.put("memory", Quantities.formatBytes(memoryBytes));
    out.put("pods", Long.toString(pods));
    return out;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  private static long toLong(BigDecimal v, String original) {
    try {
      return v.setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("quantity out of range: " + original, e);
    }
  }

  /** Parses a Kubernetes quantity (decimal or binary suffix, or exponent) to its base value. */
  static BigDecimal quantity(String q) {
    return Quantities.parse(q);
  }
}
