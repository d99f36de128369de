package dev.meridian.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.DecodeException;
import dev.meridian.api.FieldError;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
import dev.meridian.api.Typed;
import dev.meridian.api.policy.ClusterAffinity;
import dev.meridian.api.policy.ClusterToleration;
import dev.meridian.api.policy.OverridePolicy;
import dev.meridian.api.policy.Placement;
import dev.meridian.api.policy.PropagationPolicy;
import dev.meridian.api.policy.ReplicaScheduling;
import dev.meridian.api.policy.ResidencyPolicy;
import dev.meridian.api.policy.ResourceSelector;
import dev.meridian.api.policy.Rollout;
import dev.meridian.api.policy.SpreadConstraint;
import dev.meridian.scheduler.internal.KubeVersion;
import dev.meridian.scheduler.internal.StaticWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks of placement policies beyond their schema: what the schema cannot say (a selector's
 * syntax, {@code minGroups ≤ maxGroups}, fields that contradict each other). Errors make the policy
 * unusable and should reject it; warnings are accepted but worth telling (a name of no known
 * cluster, a field that is ignored). Every finding names its field path.
 */
public final class PolicyValidator {
  private PolicyValidator() {}

  /** What is wrong ({@code errors}) and what is doubtful ({@code warnings}). */
  public record Report(List<FieldError> errors, List<FieldError> warnings) {
    public Report {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }

    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /**
   * Checks a PropagationPolicy, ClusterPropagationPolicy, OverridePolicy or ResidencyPolicy object
   * (other kinds: an empty report).
   *
   * @param knownClusters names of the fleet's clusters; null when unknown (no name warnings)
   */
  public static Report validate(ObjectNode policy, Set<String> knownClusters) {
    String kind = Meta.kind(policy);
    if (kind.equals(OverridePolicy.KIND)) {
      try {
        return validate(Typed.read(policy, OverridePolicy.class), knownClusters);
      } catch (DecodeException e) {
        return new Report(List.of(), List.of()); // its schema judges its shape
      }
    }
    try {
      return switch (kind) {
        case PropagationPolicy.KIND, PropagationPolicy.CLUSTER_KIND ->
            validate(Typed.read(policy, PropagationPolicy.class), knownClusters);
        case ResidencyPolicy.KIND -> validate(Typed.read(policy, ResidencyPolicy.class));
        default -> new Report(List.of(), List.of());
      };
    } catch (DecodeException e) {
      return new Report(List.of(FieldError.invalid("spec", e.getMessage())), List.of());
    }
  }

  /**
   * Checks an OverridePolicy: warnings only (a {@code targetCluster} naming no known cluster, a
   * cluster both named and excluded); nothing in it is rejected beyond its schema.
   */
  public static Report validate(OverridePolicy policy, Set<String> knownClusters) {
    Checks c = new Checks(knownClusters);
    List<OverridePolicy.OverrideRule> rules =
        policy.spec() == null ? List.of() : policy.spec().overrideRules();
    for (int i = 0; i < rules.size(); i++) {
      OverridePolicy.OverrideRule rule = rules.get(i);
      if (rule != null && rule.targetCluster() != null) {
        c.clusterNames(rule.targetCluster(), "spec.overrideRules[" + i + "].targetCluster");
      }
    }
    return new Report(List.of(), c.warnings);
  }

  /** Whether a warning is about a cluster name the fleet does not have. */
  public static boolean isUnknownCluster(FieldError warning) {
    // the only warnings of this reason (see Checks.unknownNames)
    return warning.reason() == FieldError.Reason.FieldValueNotSupported;
  }

  /** Checks a PropagationPolicy or ClusterPropagationPolicy. */
  public static Report validate(PropagationPolicy policy, Set<String> knownClusters) {
    Checks c = new Checks(knownClusters);
    PropagationPolicy.Spec spec = policy.spec();
    if (spec == null) {
      c.errors.add(FieldError.required("spec"));
      return c.report();
    }
    String ns = policy.metadata() == null ? null : policy.metadata().namespace();
    if (spec.resourceSelectors().isEmpty()) {
      c.errors.add(FieldError.required("spec.resourceSelectors"));
    }
    for (int i = 0; i < spec.resourceSelectors().size(); i++) {
      c.resourceSelector(
          spec.resourceSelectors().get(i),
          "spec.resourceSelectors[" + i + "]",
          policy.isClusterScoped() ? null : ns);
    }
    if (spec.placement() != null) {
      c.placement(spec.placement(), "spec.placement");
    }
    if (spec.failover() != null
        && spec.failover().tolerationSeconds() != null
        && spec.failover().tolerationSeconds() < 0) {
      c.errors.add(
          FieldError.invalid(
              "spec.failover.tolerationSeconds",
              "must be 0 or more (0 evicts an unhealthy cluster at once), not "
                  + spec.failover().tolerationSeconds()));
    }
    if (spec.failover() != null
        && spec.failover().gracePeriodSeconds() != null
        && spec.failover().gracePeriodSeconds() < 0) {
      c.errors.add(
          FieldError.invalid(
              "spec.failover.gracePeriodSeconds",
              "must be 0 or more, not " + spec.failover().gracePeriodSeconds()));
    }
    if (spec.failover() != null
        && spec.failover().gracePeriodSeconds() != null
        && spec.failover().purgeMode() != dev.meridian.api.policy.Failover.PurgeMode.Graceful) {
      // purgeMode absent is Immediately: nothing waits for the grace period
      c.warnings.add(
          FieldError.invalid(
              "spec.failover.gracePeriodSeconds", "is only used with purgeMode Graceful"));
    }
    if (spec.failover() != null
        && spec.failover().failback() != null
        && (spec.placement() == null
            || spec.placement().replicaScheduling() == null
            || spec.placement().replicaScheduling().typeOrDefault()
                != dev.meridian.api.policy.ReplicaScheduling.Type.Divided)) {
      // a Duplicated placement gives a recovered cluster its copy as soon as it is feasible:
      // the field would act on nothing there
      c.errors.add(
          FieldError.notSupported(
              "spec.failover.failback",
              "not supported yet with replicaScheduling type Duplicated (a duplicated placement"
                  + " gives a recovered cluster its copy at once); it acts on Divided placements"));
    }
    if (spec.failover() != null
        && spec.failover().purgeMode() != null
        && spec.failover().purgeMode() != dev.meridian.api.policy.Failover.PurgeMode.Immediately) {
      // no inert field: Graceful and Never would promise a copy kept that nothing keeps yet
      c.errors.add(
          FieldError.notSupported(
              "spec.failover.purgeMode",
              "not supported yet: "
                  + spec.failover().purgeMode()
                  + " (an evicted cluster's copy is removed at once, as with Immediately)"));
    }
    if (spec.rollout() != null) {
      List<Rollout.Wave> waves = spec.rollout().waves();
      for (int i = 0; i < waves.size(); i++) {
        c.selector(waves.get(i).clusterSelector(), "spec.rollout.waves[" + i + "].clusterSelector");
      }
    }
    return c.report();
  }

  /** Checks a ResidencyPolicy. */
  public static Report validate(ResidencyPolicy policy) {
    Checks c = new Checks(null);
    ResidencyPolicy.Spec spec = policy.spec();
    if (spec == null) {
      c.errors.add(FieldError.required("spec"));
      return c.report();
    }
    if (spec.resourceSelector() == null) {
      c.errors.add(FieldError.required("spec.resourceSelector"));
    } else {
      c.selector(spec.resourceSelector(), "spec.resourceSelector");
    }
    c.selector(spec.namespaceSelector(), "spec.namespaceSelector");
    ResidencyPolicy.AllowedLocations allowed = spec.allowedLocations();
    boolean countries =
        allowed != null && allowed.countries() != null && !allowed.countries().isEmpty();
    boolean regions = allowed != null && allowed.regions() != null && !allowed.regions().isEmpty();
    if (!countries && !regions) {
      c.errors.add(
          new FieldError(
              "spec.allowedLocations",
              FieldError.Reason.FieldValueRequired,
              "needs countries or regions: a guardrail must allow somewhere"));
    }
    if (countries) {
      for (int i = 0; i < allowed.countries().size(); i++) {
        String country = allowed.countries().get(i);
        if (country == null || !country.matches("[A-Z]{2}")) {
          c.errors.add(
              FieldError.invalid(
                  "spec.allowedLocations.countries[" + i + "]",
                  "\"" + country + "\" is not an ISO 3166-1 alpha-2 code (two capital letters)"));
        }
      }
    }
    return c.report();
  }

  /** The findings of one validation. */
  private static final class Checks {
    final List<FieldError> errors = new ArrayList<>();
    final List<FieldError> warnings = new ArrayList<>();
    final Set<String> known;

    Checks(Set<String> known) {
      this.known = known;
    }

    Report report() {
      return new Report(errors, warnings);
    }

    void resourceSelector(ResourceSelector s, String path, String policyNamespace) {
      if (s == null) {
        errors.add(FieldError.required(path));
        return;
      }
      if (blank(s.apiVersion())) {
        errors.add(FieldError.required(path + ".apiVersion"));
      }
      if (blank(s.kind())) {
        errors.add(FieldError.required(path + ".kind"));
      }
      if (policyNamespace != null
          && !blank(s.namespace())
          && !s.namespace().equals(policyNamespace)) {
        errors.add(
            FieldError.invalid(
                path + ".namespace",
                "a PropagationPolicy only selects templates of its own namespace \""
                    + policyNamespace
                    + "\": this selector would select nothing (use a ClusterPropagationPolicy)"));
      }
      if (s.labelSelector() != null && !s.labelSelector().isNull()) {
        selector(s.labelSelector(), path + ".labelSelector");
        if (!blank(s.name())) {
          warnings.add(
              FieldError.invalid(path + ".labelSelector", "is ignored because name is set"));
        }
      }
    }

    void placement(Placement p, String path) {
      if (p.clusterAffinity() != null && !p.clusterAffinities().isEmpty()) {
        errors.add(
            FieldError.forbidden(
                path + ".clusterAffinities", "may not be set together with clusterAffinity"));
      }
      if (p.clusterAffinity() != null) {
        affinity(p.clusterAffinity(), path + ".clusterAffinity");
      }
      Set<String> termNames = new HashSet<>();
      for (int i = 0; i < p.clusterAffinities().size(); i++) {
        ClusterAffinity a = p.clusterAffinities().get(i);
        String ap = path + ".clusterAffinities[" + i + "]";
        if (a == null) {
          errors.add(FieldError.required(ap));
          continue;
        }
        if (blank(a.affinityName())) {
          errors.add(FieldError.required(ap + ".affinityName"));
        } else if (!termNames.add(a.affinityName())) {
          errors.add(
              new FieldError(
                  ap + ".affinityName",
                  FieldError.Reason.FieldValueDuplicate,
                  "Duplicate value: \"" + a.affinityName() + "\""));
        }
        affinity(a, ap);
      }
      for (int i = 0; i < p.clusterTolerations().size(); i++) {
        toleration(p.clusterTolerations().get(i), path + ".clusterTolerations[" + i + "]");
      }
      spread(p.spreadConstraints(), path + ".spreadConstraints");
      if (p.replicaScheduling() != null) {
        replicaScheduling(p.replicaScheduling(), path + ".replicaScheduling");
      }
    }

    void affinity(ClusterAffinity a, String path) {
      selector(a.labelSelector(), path + ".labelSelector");
      clusterNames(a, path);
      if (a.kubernetesVersion() != null) {
        KubeVersion min = version(a.kubernetesVersion().min(), path + ".kubernetesVersion.min");
        KubeVersion max = version(a.kubernetesVersion().max(), path + ".kubernetesVersion.max");
        if (min != null && max != null && min.compareToBound(max) > 0) {
          errors.add(
              FieldError.invalid(
                  path + ".kubernetesVersion",
                  "min "
                      + a.kubernetesVersion().min()
                      + " is above max "
                      + a.kubernetesVersion().max()));
        }
      }
    }

    /** Warnings on the names of an affinity: unknown clusters, names also excluded. */
    void clusterNames(ClusterAffinity a, String path) {
      unknownNames(a.names(), path + ".names");
      unknownNames(a.exclude(), path + ".exclude");
      for (String n : a.names()) {
        if (a.exclude().contains(n)) {
          warnings.add(
              FieldError.invalid(
                  path + ".exclude", "\"" + n + "\" is both named and excluded: it is excluded"));
        }
      }
    }

    private KubeVersion version(String text, String path) {
      if (text == null) {
        return null;
      }
      KubeVersion v = KubeVersion.parse(text);
      if (v == null) {
        errors.add(
            FieldError.invalid(path, "\"" + text + "\" is not a version such as 1.29 or v1.29.3"));
      }
      return v;
    }

    void toleration(ClusterToleration t, String path) {
      if (t == null) {
        errors.add(FieldError.required(path));
        return;
      }
      boolean exists = t.operator() == ClusterToleration.Operator.Exists;
      if (exists && !blank(t.value())) {
        errors.add(FieldError.invalid(path + ".value", "must be empty when operator is Exists"));
      }
      if (!exists && blank(t.key())) {
        errors.add(FieldError.invalid(path + ".operator", "must be Exists when key is empty"));
      }
      if (t.tolerationSeconds() != null && !"NoExecute".equals(t.effect())) {
        warnings.add(
            FieldError.invalid(path + ".tolerationSeconds", "is only used with effect NoExecute"));
      }
    }

    void spread(List<SpreadConstraint> constraints, String path) {
      Map<SpreadConstraint.SpreadBy, Integer> seen = new HashMap<>();
      for (int i = 0; i < constraints.size(); i++) {
        SpreadConstraint s = constraints.get(i);
        String sp = path + "[" + i + "]";
        if (s == null || s.spreadBy() == null) {
          errors.add(FieldError.required(sp + ".spreadBy"));
          continue;
        }
        if (seen.putIfAbsent(s.spreadBy(), i) != null) {
          errors.add(
              new FieldError(
                  sp + ".spreadBy",
                  FieldError.Reason.FieldValueDuplicate,
                  "Duplicate value: \"" + s.spreadBy().wireName() + "\""));
        }
        if (s.minGroups() != null && s.minGroups() < 1) {
          errors.add(FieldError.invalid(sp + ".minGroups", "must be at least 1"));
        }
        if (s.maxGroups() != null && s.maxGroups() < 1) {
          errors.add(FieldError.invalid(sp + ".maxGroups", "must be at least 1"));
        }
        if (s.minGroups() != null && s.maxGroups() != null && s.minGroups() > s.maxGroups()) {
          errors.add(
              FieldError.invalid(
                  sp + ".minGroups",
                  "must not exceed maxGroups (" + s.minGroups() + " > " + s.maxGroups() + ")"));
        }
      }
      // spreading over at most N clusters cannot reach more than N of any coarser group
      for (int i = 0; i < constraints.size(); i++) {
        SpreadConstraint fine = constraints.get(i);
        if (fine == null
            || fine.spreadBy() != SpreadConstraint.SpreadBy.CLUSTER
            || fine.maxGroups() == null) {
          continue;
        }
        for (int j = 0; j < constraints.size(); j++) {
          SpreadConstraint coarse = constraints.get(j);
          if (coarse != null
              && coarse.minGroups() != null
              && coarse.minGroups() > fine.maxGroups()) {
            errors.add(
                FieldError.invalid(
                    path + "[" + i + "].maxGroups",
                    "at most "
                        + fine.maxGroups()
                        + " clusters cannot cover minGroups "
                        + coarse.minGroups()
                        + " of "
                        + coarse.spreadBy().wireName()));
          }
        }
      }
    }

    void replicaScheduling(ReplicaScheduling rs, String path) {
      ReplicaScheduling.Weights w = rs.weights();
      if (rs.typeOrDefault() == ReplicaScheduling.Type.Duplicated) {
        if (rs.division() != null) {
          errors.add(FieldError.forbidden(path + ".division", "applies only to type Divided"));
        }
        if (w != null) {
          errors.add(FieldError.forbidden(path + ".weights", "apply only to type Divided"));
        }
        return;
      }
      if (w == null) {
        return;
      }
      if (rs.divisionOrDefault() == ReplicaScheduling.Division.Aggregated) {
        errors.add(
            FieldError.forbidden(
                path + ".weights", "apply only to division Weighted, not Aggregated"));
      }
      if (!w.staticWeights().isEmpty() && w.dynamic() != null) {
        errors.add(
            FieldError.forbidden(path + ".weights", "static and dynamic may not both be set"));
      }
      boolean anyPositive = false;
      for (int i = 0; i < w.staticWeights().size(); i++) {
        ReplicaScheduling.StaticWeight rule = w.staticWeights().get(i);
        String rp = path + ".weights.static[" + i + "]";
        if (rule == null || rule.weight() == null) {
          errors.add(FieldError.required(rp + ".weight"));
          continue;
        }
        if (rule.weight() < 0) {
          errors.add(FieldError.invalid(rp + ".weight", "must be at least 0"));
        } else if (rule.weight() > StaticWeights.MAX_WEIGHT) {
          errors.add(
              FieldError.invalid(rp + ".weight", "must be at most " + StaticWeights.MAX_WEIGHT));
        }
        anyPositive |= rule.weight() > 0;
        if (rule.clusters() != null) {
          affinity(rule.clusters(), rp + ".clusters");
        }
      }
      if (!w.staticWeights().isEmpty() && !anyPositive) {
        warnings.add(
            FieldError.invalid(
                path + ".weights.static", "every weight is 0: replicas are divided equally"));
      }
    }

    void selector(JsonNode node, String path) {
      LabelSelector.fromJson(node, path, errors);
    }

    void unknownNames(List<String> names, String path) {
      if (known == null) {
        return;
      }
      for (int i = 0; i < names.size(); i++) {
        if (!known.contains(names.get(i))) {
          warnings.add(
              FieldError.notSupported(
                  path + "[" + i + "]", "no cluster named \"" + names.get(i) + "\" is known"));
        }
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
