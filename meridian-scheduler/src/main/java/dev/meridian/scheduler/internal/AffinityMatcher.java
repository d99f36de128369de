package dev.meridian.scheduler.internal;

import dev.meridian.api.FieldError;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.ClusterAffinity;
import dev.meridian.scheduler.ClusterView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link ClusterAffinity} made ready for matching (selector parsed, versions read): says for a
 * cluster every way in which it falls outside the affinity.
 */
public final class AffinityMatcher {
  private final String prefix;
  private final Set<String> names;
  private final List<String> namesInOrder;
  private final Set<String> exclude;
  private final LabelSelector selector;
  private final String selectorError;
  private final ClusterAffinity.Locations locations;
  private final String min;
  private final String max;

  private AffinityMatcher(ClusterAffinity a) {
    prefix = a.affinityName() == null ? "affinity: " : "affinity \"" + a.affinityName() + "\": ";
    namesInOrder = a.names();
    names = new HashSet<>(a.names());
    exclude = new HashSet<>(a.exclude());
    List<FieldError> errors = new ArrayList<>();
    LabelSelector s = LabelSelector.fromJson(a.labelSelector(), "labelSelector", errors);
    selector = errors.isEmpty() ? s : null;
    selectorError = errors.isEmpty() ? null : errors.get(0).toString();
    locations = a.locations();
    min = a.kubernetesVersion() == null ? null : a.kubernetesVersion().min();
    max = a.kubernetesVersion() == null ? null : a.kubernetesVersion().max();
  }

  /** Ready to match {@code affinity}; null matches every cluster. */
  public static AffinityMatcher compile(ClusterAffinity affinity) {
    return new AffinityMatcher(affinity == null ? ClusterAffinity.ANY : affinity);
  }

  /** Whether {@code c} is in the set. */
  public boolean matches(ClusterView c) {
    return mismatches(c).isEmpty();
  }

  /** Each reason why {@code c} is outside, such as {@code affinity: region us-east not in [eu]}. */
  public List<String> mismatches(ClusterView c) {
    List<String> out = new ArrayList<>(2);
    if (exclude.contains(c.name())) {
      out.add(prefix + "excluded by name");
    }
    if (!names.isEmpty() && !names.contains(c.name())) {
      out.add(prefix + "not among the names " + namesInOrder);
    }
    if (selectorError != null) {
      out.add(prefix + "invalid labelSelector: " + selectorError);
    } else if (!selector.matches(c.labels())) {
      out.add(prefix + "labels do not match " + selector);
    }
    if (locations != null) {
      Cluster.Location l = c.location();
      field(out, "region", l.region(), locations.regions());
      field(out, "zone", l.zone(), locations.zones());
      field(out, "country", l.country(), locations.countries());
      field(out, "provider", l.provider(), locations.providers());
    }
    if (min != null || max != null) {
      version(out, c.kubernetesVersion());
    }
    return out;
  }

  private void field(List<String> out, String what, String value, List<String> allowed) {
    if (allowed.isEmpty()) {
      return;
    }
    if (value == null || value.isEmpty()) {
      out.add(prefix + what + " unknown, must be one of " + allowed);
    } else if (!allowed.contains(value)) {
      out.add(prefix + what + " " + value + " not in " + allowed);
    }
  }

  private void version(List<String> out, String clusterVersion) {
    KubeVersion v = KubeVersion.parse(clusterVersion);
    if (v == null) {
      out.add(
          prefix
              + "kubernetes version "
              + (clusterVersion == null ? "unknown" : "\"" + clusterVersion + "\" unreadable")
              + ", policy requires "
              + range());
      return;
    }
    if (min != null) {
      KubeVersion bound = KubeVersion.parse(min);
      if (bound == null) {
        out.add(prefix + "invalid kubernetesVersion.min \"" + min + "\"");
      } else if (v.compareToBound(bound) < 0) {
        out.add(prefix + "kubernetes version " + clusterVersion + " is below the minimum " + min);
      }
    }
    if (max != null) {
      KubeVersion bound = KubeVersion.parse(max);
      if (bound == null) {
        out.add(prefix + "invalid kubernetesVersion.max \"" + max + "\"");
      } else if (v.compareToBound(bound) > 0) {
        out.add(prefix + "kubernetes version " + clusterVersion + " is above the maximum " + max);
      }
    }
  }

  private String range() {
    if (min != null && max != null) {
      return min + " to " + max;
    }
    return min != null ? "at least " + min : "at most " + max;
  }
}
