package dev.meridian.scheduler.internal;

import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.ClusterToleration;
import java.util.List;

/** Kubernetes' toleration semantics, for cluster taints. */
public final class Tolerations {
  private Tolerations() {}

  /** Whether one of {@code tolerations} tolerates {@code taint}. */
  public static boolean tolerated(List<ClusterToleration> tolerations, Cluster.Taint taint) {
    for (ClusterToleration t : tolerations) {
      if (tolerates(t, taint)) {
        return true;
      }
    }
    return false;
  }

  /**
   * How long {@code taint} is tolerated: empty when no toleration matches; {@link Long#MAX_VALUE}
   * when one without {@code tolerationSeconds} matches (for ever); otherwise the smallest {@code
   * tolerationSeconds} of those that match, as Kubernetes takes it.
   */
  public static java.util.OptionalLong toleratedSeconds(
      List<ClusterToleration> tolerations, Cluster.Taint taint) {
    long seconds = -1;
    for (ClusterToleration t : tolerations) {
      if (tolerates(t, taint)) {
        long s =
            t.tolerationSeconds() == null ? Long.MAX_VALUE : Math.max(0, t.tolerationSeconds());
        seconds = seconds < 0 ? s : Math.min(seconds, s);
      }
    }
    return seconds < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(seconds);
  }

  /**
   * An empty effect matches every effect; {@code Exists} ignores the value and, with an empty key,
   * matches every key; {@code Equal} (the default) needs key and value equal.
   */
  public static boolean tolerates(ClusterToleration t, Cluster.Taint taint) {
    if (t.effect() != null && !t.effect().isEmpty() && !t.effect().equals(taint.effect())) {
      return false;
    }
    String key = nullToEmpty(t.key());
    if (t.operator() == ClusterToleration.Operator.Exists) {
      return key.isEmpty() || key.equals(taint.key());
    }
    return key.equals(taint.key()) && nullToEmpty(t.value()).equals(nullToEmpty(taint.value()));
  }

  /** {@code key=value:Effect}, as kubectl prints a taint. */
  public static String describe(Cluster.Taint taint) {
    String value = nullToEmpty(taint.value());
    return taint.key() + (value.isEmpty() ? "" : "=" + value) + ":" + taint.effect();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
