package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.policy.Failover;
import dev.meridian.controllers.fleet.ClusterHealthController;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A policy's {@code failover.failback}, for Divided placements: a cluster whose replicas went to
 * the others when it was evicted for a health taint gets its share back by a fresh division once it
 * has been Ready, without a health taint, for {@code stableSeconds} ({@code Automatic}, the
 * default), or when the user asks with {@code meridian rebalance} ({@code Manual}). A cluster that
 * fails again within the stable period starts it over: nothing flaps.
 */
record Failback(boolean divided, boolean automatic, Duration stable) {
  static Failback of(ObjectNode policy) {
    JsonNode spec = policy.path("spec");
    boolean divided =
        "Divided".equals(spec.path("placement").path("replicaScheduling").path("type").asText(""));
    JsonNode fb = spec.path("failover").path("failback");
    boolean automatic = !"Manual".equals(fb.path("mode").asText("Automatic"));
    long stable = fb.path("stableSeconds").asLong(Failover.DEFAULT_STABLE_SECONDS);
    return new Failback(divided, divided && automatic, Duration.ofSeconds(Math.max(0, stable)));
  }

  /** Whether the cluster carries a health taint (unreachable, not ready) that evicts. */
  static boolean healthTainted(ObjectNode cluster) {
    if (cluster == null) {
      return false;
    }
    for (JsonNode t : cluster.path("spec").path("taints")) {
      String key = t.path("key").asText("");
      if ((key.equals(ClusterHealthController.UNREACHABLE)
              || key.equals(ClusterHealthController.NOT_READY))
          && "NoExecute".equals(t.path("effect").asText(""))) {
        return true;
      }
    }
    return false;
  }

  /** Since when the cluster has been Ready without a health taint; null if it is not. */
  static Instant healthySince(ObjectNode cluster) {
    if (cluster == null || healthTainted(cluster) || !Conditions.isTrue(cluster, "Ready")) {
      return null;
    }
    String since = Conditions.find(cluster, "Ready").path("lastTransitionTime").asText("");
    try {
      return since.isEmpty() ? Instant.EPOCH : Instant.parse(since);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
