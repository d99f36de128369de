package dev.meridian.scheduler.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.ClusterAffinity;
import dev.meridian.api.policy.ClusterToleration;
import dev.meridian.api.policy.Placement;
import dev.meridian.api.policy.ReplicaScheduling;
import dev.meridian.api.policy.SpreadConstraint;
import dev.meridian.scheduler.ClusterView;
import dev.meridian.scheduler.Decision;
import dev.meridian.scheduler.Resources;
import dev.meridian.scheduler.SchedulingInput;
import dev.meridian.scheduler.internal.ReplicaDivision.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One scheduling decision: filters every cluster (readiness, taints, affinity, residency, API
 * version, capacity), then applies static weights, spread constraints and the replica division,
 * trying each ordered affinity in turn. Holds only the state of this one run.
 */
public final class SchedulingRun {
  private final SchedulingInput in;
  private final Decision.Resource resource;
  private final Placement placement;
  private final Integer replicas;
  private final Resources perReplica;
  private final Mode mode;
  private final List<SpreadConstraint> spread;
  private final List<String> runWarnings = new ArrayList<>();

  /** Every cluster in name order, and what the filters that ignore affinity say of each. */
  private final List<Candidate> all = new ArrayList<>();

  private final Map<String, List<String>> baseReasons = new TreeMap<>();
  private final Map<String, List<String>> notes = new TreeMap<>();

  private SchedulingRun(SchedulingInput in) {
    this.in = in;
    ObjectNode template = in.template();
    resource = Decision.Resource.of(template);
    placement = in.policy().placementOrDefault();
    replicas = PodTemplate.replicas(template);
    perReplica = PodTemplate.requests(template, runWarnings);
    ReplicaScheduling rs = placement.replicaScheduling();
    mode = mode(rs, replicas);
    spread = Spread.ordered(placement.spreadConstraints());
    if (!placement.clusterAffinities().isEmpty() && placement.clusterAffinity() != null) {
      runWarnings.add("placement: clusterAffinity is ignored because clusterAffinities is set");
    }
    List<ClusterView> sorted = new ArrayList<>(in.clusters());
    sorted.sort(Comparator.comparing(ClusterView::name));
    Set<String> seen = new HashSet<>();
    for (ClusterView v : sorted) {
      if (!seen.add(v.name())) {
        throw new IllegalArgumentException("duplicate cluster name \"" + v.name() + "\"");
      }
      examine(v);
    }
  }

  /** Decides where {@code in}'s template goes. */
  public static Decision run(SchedulingInput in) {
    return new SchedulingRun(in).decide();
  }

  private static Mode mode(ReplicaScheduling rs, Integer replicas) {
    if (replicas == null || rs == null || rs.typeOrDefault() == ReplicaScheduling.Type.Duplicated) {
      return Mode.DUPLICATED;
    }
    if (rs.divisionOrDefault() == ReplicaScheduling.Division.Aggregated) {
      return Mode.AGGREGATED;
    }
    return rs.weights() != null && rs.weights().dynamic() != null ? Mode.DYNAMIC : Mode.STATIC;
  }

  /**
   * Judges a {@code NoExecute} taint of {@code v} with Kubernetes' semantics: not tolerated, the
   * cluster is evicted; tolerated without {@code tolerationSeconds}, for ever; tolerated for N
   * seconds (the least of the matching tolerations; for the health taints, the policy's {@code
   * failover.tolerationSeconds} when no toleration matches, else {@link
   * dev.meridian.api.policy.Failover#DEFAULT_TOLERATION_SECONDS}), a cluster that holds the
   * template keeps it until the taint is N seconds old, and no new placement goes there.
   *
   * @return null when the cluster may stay, else what to add to the reason ("" when it is simply
   *     not tolerated)
   */
  private String noExecute(ClusterView v, Cluster.Taint taint, boolean sticky, List<String> notes) {
    java.util.OptionalLong tolerated =
        Tolerations.toleratedSeconds(placement.clusterTolerations(), taint);
    Long failover =
        in.policy().spec() == null || in.policy().spec().failover() == null
            ? null
            : in.policy().spec().failover().tolerationSeconds();
    boolean health =
        taint.key().equals(ClusterView.NOT_READY_TAINT)
            || taint.key().equals(ClusterView.UNREACHABLE_TAINT);
    boolean byDefault = false;
    if (tolerated.isEmpty() && health) {
      byDefault = failover == null;
      tolerated =
          java.util.OptionalLong.of(
              failover == null
                  ? dev.meridian.api.policy.Failover.DEFAULT_TOLERATION_SECONDS
                  : Math.max(0, failover));
    }
    if (tolerated.isEmpty()) {
      return "";
    }
    long seconds = tolerated.getAsLong();
    if (byDefault && !sticky) {
      return ""; // the default only keeps a placement, it never makes one
    }
    String tolerance = "tolerated for " + seconds + "s" + (byDefault ? " by default" : "");
    if (seconds == Long.MAX_VALUE || in.now() == null) {
      return null;
    }
    String since = taint.timeAdded();
    if (since == null) {
      if (sticky) {
        // judged again as soon as the taint's time is known
        recheck(Duration.ofSeconds(1));
        notes.add(
            "taint: "
                + v.name()
                + " keeps its placement: "
                + Tolerations.describe(taint)
                + " has no time yet");
        return null;
      }
      return " (" + tolerance + " only, not for a new placement)";
    }
    java.time.Instant expires;
    try {
      expires = java.time.Instant.parse(since).plusSeconds(seconds);
    } catch (java.time.format.DateTimeParseException e) {
      return " (its timeAdded " + since + " is not a time)";
    }
    if (!sticky) {
      return " (" + tolerance + " only, not for a new placement)";
    }
    if (in.now().isBefore(expires)) {
      recheck(Duration.between(in.now(), expires));
      notes.add(
          "taint: "
              + v.name()
              + " keeps its placement until "
              + expires
              + " ("
              + Tolerations.describe(taint)
              + " since "
              + since
              + ", "
              + tolerance
              + ")");
      return null;
    }
    return " (" + tolerance + " since " + since + ": evicted)";
  }

  private Duration recheck;

  private void recheck(Duration after) {
    if (recheck == null || after.compareTo(recheck) < 0) {
      recheck = after;
    }
  }

  /** Runs the filters that do not depend on the affinity term, once per cluster. */
  private void examine(ClusterView v) {
    int held = in.previous().getOrDefault(v.name(), 0);
    boolean sticky = held > 0 || in.previous().containsKey(v.name());
    List<ClusterToleration> tolerations = placement.clusterTolerations();
    List<String> reasons = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    String healthKey = null;
    if (!v.isReady()) {
      healthKey =
          "False".equals(v.ready()) ? ClusterView.NOT_READY_TAINT : ClusterView.UNREACHABLE_TAINT;
      Cluster.Taint health = new Cluster.Taint(healthKey, null, "NoExecute", null);
      for (Cluster.Taint t : v.taints()) {
        if (healthKey.equals(t.key()) && "NoExecute".equals(t.effect())) {
          health = t; // the health controller's, which says since when
        }
      }
      String evicted = noExecute(v, health, sticky, notes);
      if (evicted != null) {
        reasons.add(
            "not ready: "
                + (v.ready() == null ? "no Ready condition reported" : "Ready=" + v.ready())
                + evicted);
      }
    }
    int preferNoSchedule = 0;
    for (Cluster.Taint t : v.taints()) {
      String effect = t.effect() == null ? "NoSchedule" : t.effect();
      if (effect.equals("NoExecute")) {
        if (!t.key().equals(healthKey)) { // the health taint was judged above
          String evicted = noExecute(v, t, sticky, notes);
          if (evicted != null) {
            reasons.add("taint: " + Tolerations.describe(t) + " is not tolerated" + evicted);
          }
        }
        continue;
      }
      if (Tolerations.tolerated(tolerations, t)) {
        continue;
      }
      switch (effect) {
        case "PreferNoSchedule" -> preferNoSchedule++;
        default -> {
          if (sticky && !in.rebalance()) {
            notes.add(
                "taint: "
                    + v.name()
                    + " keeps its placement despite "
                    + Tolerations.describe(t)
                    + " (NoSchedule only refuses new placements)");
          } else {
            reasons.add("taint: " + Tolerations.describe(t) + " is not tolerated");
          }
        }
      }
    }
    reasons.addAll(in.guardrail().violations(v));
    for (String audit : in.guardrail().auditFindings(v)) {
      notes.add(audit.replace("residency (audit): ", "residency (audit): " + v.name() + ": "));
    }
    ApiAvailability.unavailable(
            resource.apiVersion(), resource.kind(), v.kubernetesVersion(), v.servedApis())
        .ifPresent(reasons::add);

    int headroom = v.allocatable() == null ? -1 : v.allocatable().fit(perReplica);
    int available = headroom < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (long) headroom + held);
    if (mode == Mode.DYNAMIC || mode == Mode.AGGREGATED) {
      String needs =
          mode == Mode.DYNAMIC ? "dynamic weights (AvailableReplicas)" : "Aggregated division";
      if (available < 0) {
        reasons.add("capacity: status.allocatable unknown; " + needs + " needs it");
      } else if (available == 0) {
        reasons.add(
            "capacity: no room for one replica (one replica requests "
                + perReplica
                + "; allocatable "
                + v.allocatable()
                + ")");
      }
    }
    int previous = in.rebalance() ? 0 : held;
    all.add(new Candidate(v, previous, headroom, available, preferNoSchedule));
    baseReasons.put(v.name(), reasons);
    this.notes.put(v.name(), notes);
  }

  private Decision decide() {
    List<ClusterAffinity> terms =
        placement.clusterAffinities().isEmpty()
            ? java.util.Collections.singletonList(placement.clusterAffinity())
            : placement.clusterAffinities();
    List<Attempt> failed = new ArrayList<>();
    for (ClusterAffinity term : terms) {
      Attempt a = attempt(term);
      if (a.failure == null) {
        List<String> warnings = new ArrayList<>(runWarnings);
        for (int i = 0; i < failed.size(); i++) {
          warnings.add(
              "affinity \""
                  + name(terms.get(i))
                  + "\" yields no placement ("
                  + failed.get(i).failure
                  + "); using \""
                  + name(term)
                  + "\"");
        }
        warnings.addAll(a.warnings);
        return new Decision(
            resource,
            in.policy().reference(),
            a.targets,
            a.exclusions,
            null,
            warnings,
            term == null ? null : term.affinityName(),
            recheck);
      }
      failed.add(a);
    }
    SortedMap<String, List<String>> merged = new TreeMap<>();
    for (Attempt a : failed) {
      a.exclusions.forEach((c, rs) -> merged.computeIfAbsent(c, k -> new ArrayList<>()).addAll(rs));
    }
    merged.replaceAll((c, rs) -> new ArrayList<>(new LinkedHashSet<>(rs)));
    String why;
    if (failed.size() == 1) {
      why = failed.get(0).failure;
    } else {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < failed.size(); i++) {
        parts.add("\"" + name(terms.get(i)) + "\": " + failed.get(i).failure);
      }
      why = "no affinity yields a placement: " + String.join("; ", parts);
    }
    // the guardrail kept clusters with room out (capacity, spread...): say so, as when none fits
    if (!why.contains(RESIDENCY_NOTE)
        && merged.values().stream()
            .flatMap(List::stream)
            .anyMatch(r -> category(r).equals("residency"))) {
      why += residencyNote();
    }
    return new Decision(
        resource, in.policy().reference(), List.of(), merged, why, runWarnings, null, recheck);
  }

  private static String name(ClusterAffinity term) {
    return term == null || term.affinityName() == null ? "" : term.affinityName();
  }

  /** The outcome of one affinity term. */
  private static final class Attempt {
    final SortedMap<String, List<String>> exclusions = new TreeMap<>();
    final List<Decision.Target> targets = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    String failure;

    Attempt exclude(String cluster, String reason) {
      exclusions.computeIfAbsent(cluster, k -> new ArrayList<>()).add(reason);
      return this;
    }

    /** Fails with {@code why}, which is then also the reason of each of {@code left}. */
    Attempt fail(String why, List<Candidate> left) {
      failure = why;
      targets.clear();
      for (Candidate c : left) {
        if (!exclusions.containsKey(c.name())) {
          exclude(c.name(), why);
        }
      }
      return this;
    }
  }

  private Attempt attempt(ClusterAffinity term) {
    Attempt a = new Attempt();
    AffinityMatcher affinity = AffinityMatcher.compile(term);
    List<Candidate> feasible = new ArrayList<>();
    for (Candidate c : all) {
      List<String> reasons = new ArrayList<>(baseReasons.get(c.name()));
      reasons.addAll(affinity.mismatches(c.view()));
      if (reasons.isEmpty()) {
        feasible.add(c);
      } else {
        a.exclusions.put(c.name(), reasons);
      }
    }
    if (feasible.isEmpty()) {
      a.failure = noFeasibleCluster(a.exclusions);
      return a;
    }
    long[] weights = null;
    if (mode == Mode.STATIC) {
      StaticWeights sw = StaticWeights.of(placement.replicaScheduling().weights(), feasible);
      feasible = sw.kept();
      weights = sw.weights();
      sw.dropped().forEach(a::exclude);
    }
    Spread.Outcome spreadOutcome = Spread.select(feasible, spread);
    spreadOutcome.excluded().forEach(a::exclude);
    if (spreadOutcome.failure() != null) {
      return a.fail(spreadOutcome.failure(), feasible);
    }
    List<Candidate> selected = spreadOutcome.selected();
    if (selected.isEmpty()) {
      return a.fail(noFeasibleCluster(a.exclusions), feasible);
    }
    if (weights != null && selected.size() != feasible.size()) {
      weights = StaticWeights.realign(weights, feasible, selected);
    }
    if (mode == Mode.DUPLICATED) {
      for (Candidate c : selected) {
        a.targets.add(new Decision.Target(c.name(), replicas));
        capacityWarning(a, c, replicas);
      }
    } else {
      divide(a, selected, weights);
      if (a.failure != null) {
        return a.fail(a.failure, selected);
      }
    }
    for (Decision.Target t : a.targets) {
      a.warnings.addAll(notes.get(t.cluster()));
    }
    return a;
  }

  private void divide(Attempt a, List<Candidate> selected, long[] weights) {
    List<Candidate> coverage = List.of();
    if (mode == Mode.AGGREGATED) {
      List<Candidate> preferred = new ArrayList<>(selected);
      preferred.sort(Candidate.PREFERENCE);
      coverage = Spread.coveragePicks(preferred, spread);
    }
    ReplicaDivision.Result r = ReplicaDivision.divide(mode, replicas, selected, weights, coverage);
    if (r.failure() != null) {
      a.failure = r.failure();
      return;
    }
    List<Candidate> placed = new ArrayList<>();
    int holding = 0;
    for (long x : r.replicas()) {
      holding += x > 0 ? 1 : 0;
    }
    for (int i = 0; i < selected.size(); i++) {
      Candidate c = selected.get(i);
      int n = (int) r.replicas()[i];
      if (n > 0 || replicas == 0) {
        a.targets.add(new Decision.Target(c.name(), n));
        placed.add(c);
        if (mode == Mode.STATIC) {
          capacityWarning(a, c, n);
        }
      } else if (mode == Mode.AGGREGATED) {
        a.exclude(
            c.name(),
            "aggregated: not needed; the "
                + Spread.plural(replicas, "replica")
                + " fit on "
                + Spread.plural(holding, "cluster"));
      } else {
        a.exclude(
            c.name(),
            "division: no replica left for it ("
                + Spread.plural(replicas, "replica")
                + " over "
                + Spread.plural(selected.size(), "cluster")
                + ")");
      }
    }
    if (replicas > 0) {
      a.warnings.addAll(Spread.coverageWarnings(placed, spread, replicas));
    }
  }

  private void capacityWarning(Attempt a, Candidate c, Integer assigned) {
    if (assigned != null && c.available() >= 0 && assigned > c.available()) {
      a.warnings.add(
          "capacity: "
              + c.name()
              + " can take "
              + c.available()
              + " of its "
              + Spread.plural(assigned, "replica")
              + " (one replica requests "
              + perReplica
              + "; allocatable "
              + c.view().allocatable()
              + ")");
    }
  }

  /**
   * Why no cluster is feasible: how many clusters each kind of reason excluded, and, when the
   * residency guardrail took part, that nothing goes outside it.
   */
  private String noFeasibleCluster(Map<String, List<String>> exclusions) {
    if (all.isEmpty()) {
      return "no clusters to choose from";
    }
    Map<String, Integer> byCategory = new TreeMap<>();
    for (List<String> reasons : exclusions.values()) {
      Set<String> categories = new LinkedHashSet<>();
      for (String r : reasons) {
        categories.add(category(r));
      }
      categories.forEach(c -> byCategory.merge(c, 1, Integer::sum));
    }
    List<String> parts = new ArrayList<>();
    byCategory.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> parts.add(e.getKey() + " " + e.getValue()));
    String why =
        "no cluster fits: of "
            + Spread.plural(all.size(), "cluster")
            + ", excluded by "
            + String.join(", ", parts);
    if (byCategory.containsKey("residency")) {
      why += residencyNote();
    }
    return why;
  }

  private static final String RESIDENCY_NOTE = "; nothing is placed outside the locations";

  private String residencyNote() {
    return RESIDENCY_NOTE
        + " ResidencyPolicy "
        + String.join(", ", in.guardrail().denyingPolicies())
        + " allows";
  }

  /**
   * {@code residency} for {@code residency: ...}, {@code affinity} for {@code affinity "a": ...}.
   */
  private static String category(String reason) {
    int colon = reason.indexOf(':');
    String head = colon < 0 ? reason : reason.substring(0, colon);
    int quote = head.indexOf(" \"");
    return quote < 0 ? head : head.substring(0, quote);
  }
}
