package dev.meridian.scheduler.internal;

import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.SpreadConstraint;
import dev.meridian.api.policy.SpreadConstraint.SpreadBy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Spread constraints: groups clusters by a location field and keeps between {@code minGroups} and
 * {@code maxGroups} groups.
 *
 * <p>Constraints apply from the coarsest field to the finest (country, provider, region, zone,
 * cluster). When a constraint must drop groups, it keeps the preferred ones (holding the most
 * replicas now, then room for the most replicas, then the most allocatable cpu, then the most
 * clusters, then by name), but first makes sure the groups kept still cover the {@code minGroups}
 * of every coarser constraint.
 */
public final class Spread {
  private static final List<SpreadBy> COARSE_TO_FINE =
      List.of(
          SpreadBy.COUNTRY, SpreadBy.PROVIDER, SpreadBy.REGION, SpreadBy.ZONE, SpreadBy.CLUSTER);

  private Spread() {}

  /**
   * @param selected the clusters kept, in name order
   * @param excluded the others → why
   * @param failure why no selection satisfies the constraints; null when one does
   */
  public record Outcome(List<Candidate> selected, Map<String, String> excluded, String failure) {}

  /** The value of {@code by} for a cluster; null when unknown. */
  public static String key(Candidate c, SpreadBy by) {
    Cluster.Location l = c.view().location();
    String v =
        switch (by) {
          case CLUSTER -> c.name();
          case REGION -> l.region();
          case ZONE -> l.zone();
          case PROVIDER -> l.provider();
          case COUNTRY -> l.country();
        };
    return v == null || v.isEmpty() ? null : v;
  }

  /** The constraints from the coarsest field to the finest. */
  public static List<SpreadConstraint> ordered(List<SpreadConstraint> constraints) {
    List<SpreadConstraint> out = new ArrayList<>();
    for (SpreadConstraint c : constraints) {
      if (c != null && c.spreadBy() != null) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparingInt(c -> COARSE_TO_FINE.indexOf(c.spreadBy())));
    return out;
  }

  public static int min(SpreadConstraint c) {
    return c.minGroups() == null ? 1 : Math.max(1, c.minGroups());
  }

  /** Applies {@code constraints} (already {@link #ordered}) to {@code feasible} (name order). */
  public static Outcome select(List<Candidate> feasible, List<SpreadConstraint> constraints) {
    Map<String, String> excluded = new TreeMap<>();
    List<Candidate> current = new ArrayList<>();
    for (Candidate c : feasible) {
      String missing = null;
      for (SpreadConstraint s : constraints) {
        if (key(c, s.spreadBy()) == null) {
          String field = s.spreadBy().wireName();
          missing = "spread: no " + field + " set; spreadConstraints spread by " + field;
          break;
        }
      }
      if (missing == null) {
        current.add(c);
      } else {
        excluded.put(c.name(), missing);
      }
    }
    for (int k = 0; k < constraints.size(); k++) {
      SpreadConstraint s = constraints.get(k);
      String field = s.spreadBy().wireName();
      Map<String, List<Candidate>> groups = groups(current, s.spreadBy());
      if (s.maxGroups() != null && s.maxGroups() < min(s)) {
        return new Outcome(
            List.of(),
            excluded,
            "spread: maxGroups "
                + s.maxGroups()
                + " of "
                + field
                + " is below its minGroups "
                + min(s));
      }
      if (groups.size() < min(s)) {
        return new Outcome(
            List.of(),
            excluded,
            "spread: "
                + plural(groups.size(), field)
                + " feasible "
                + groups.keySet()
                + "; spreadConstraints need at least "
                + min(s));
      }
      if (s.maxGroups() == null || groups.size() <= s.maxGroups()) {
        continue;
      }
      List<String> chosen = choose(groups, s.maxGroups(), constraints.subList(0, k));
      for (int j = 0; j < k; j++) {
        SpreadConstraint coarser = constraints.get(j);
        Set<String> covered = new HashSet<>();
        for (String g : chosen) {
          for (Candidate c : groups.get(g)) {
            covered.add(key(c, coarser.spreadBy()));
          }
        }
        if (covered.size() < min(coarser)) {
          return new Outcome(
              List.of(),
              excluded,
              "spread: at most "
                  + plural(s.maxGroups(), field)
                  + " cover "
                  + plural(covered.size(), coarser.spreadBy().wireName())
                  + ", spreadConstraints need at least "
                  + min(coarser));
        }
      }
      List<String> chosenSorted = new ArrayList<>(new TreeSet<>(chosen));
      List<Candidate> next = new ArrayList<>();
      for (Candidate c : current) {
        if (chosen.contains(key(c, s.spreadBy()))) {
          next.add(c);
        } else {
          excluded.put(
              c.name(),
              "spread: "
                  + (s.spreadBy() == SpreadBy.CLUSTER
                      ? ""
                      : field + " " + key(c, s.spreadBy()) + " ")
                  + "not among the "
                  + plural(s.maxGroups(), field)
                  + " chosen "
                  + chosenSorted);
        }
      }
      current = next;
    }
    return new Outcome(current, excluded, null);
  }

  /**
   * Aggregated division's first picks, in preference order: one cluster for each group still needed
   * to reach every constraint's {@code minGroups}.
   */
  public static List<Candidate> coveragePicks(
      List<Candidate> preferred, List<SpreadConstraint> constraints) {
    List<Candidate> picks = new ArrayList<>();
    for (SpreadConstraint s : constraints) {
      Set<String> covered = new HashSet<>();
      for (Candidate p : picks) {
        covered.add(key(p, s.spreadBy()));
      }
      for (Candidate c : preferred) {
        if (covered.size() >= min(s)) {
          break;
        }
        if (!picks.contains(c) && covered.add(key(c, s.spreadBy()))) {
          picks.add(c);
        }
      }
    }
    return picks;
  }

  /** Warnings for constraints the clusters that got replicas do not cover. */
  public static List<String> coverageWarnings(
      List<Candidate> placed, List<SpreadConstraint> constraints, int replicas) {
    List<String> out = new ArrayList<>();
    for (SpreadConstraint s : constraints) {
      Set<String> covered = new TreeSet<>();
      for (Candidate c : placed) {
        covered.add(key(c, s.spreadBy()));
      }
      if (covered.size() < min(s)) {
        out.add(
            "spread: the replicas ("
                + replicas
                + ") land in "
                + plural(covered.size(), s.spreadBy().wireName())
                + ", fewer than minGroups "
                + min(s));
      }
    }
    return out;
  }

  private static Map<String, List<Candidate>> groups(List<Candidate> cs, SpreadBy by) {
    Map<String, List<Candidate>> out = new TreeMap<>();
    for (Candidate c : cs) {
      out.computeIfAbsent(key(c, by), k -> new ArrayList<>()).add(c);
    }
    return out;
  }

  /** {@code max} groups: coverage of the coarser constraints first, then by preference. */
  private static List<String> choose(
      Map<String, List<Candidate>> groups, int max, List<SpreadConstraint> coarser) {
    List<String> ranked = new ArrayList<>(groups.keySet());
    Map<String, long[]> score = new LinkedHashMap<>();
    for (String g : ranked) {
      long prev = 0;
      long capacity = 0;
      long cpu = 0;
      for (Candidate c : groups.get(g)) {
        prev += c.previous();
        capacity += Math.max(0, c.available());
        cpu += c.cpuMillis();
      }
      score.put(g, new long[] {prev, capacity, cpu, groups.get(g).size()});
    }
    ranked.sort(
        Comparator.comparingLong((String g) -> -score.get(g)[0])
            .thenComparingLong(g -> -score.get(g)[1])
            .thenComparingLong(g -> -score.get(g)[2])
            .thenComparingLong(g -> -score.get(g)[3])
            .thenComparing(g -> g));
    List<String> chosen = new ArrayList<>();
    List<Set<String>> covered = new ArrayList<>();
    for (int j = 0; j < coarser.size(); j++) {
      covered.add(new HashSet<>());
    }
    while (chosen.size() < max) {
      String pick = null;
      for (String g : ranked) {
        if (!chosen.contains(g) && addsNeededCoverage(groups.get(g), coarser, covered)) {
          pick = g;
          break;
        }
      }
      if (pick == null) {
        for (String g : ranked) {
          if (!chosen.contains(g)) {
            pick = g;
            break;
          }
        }
      }
      chosen.add(pick);
      for (int j = 0; j < coarser.size(); j++) {
        for (Candidate c : groups.get(pick)) {
          covered.get(j).add(key(c, coarser.get(j).spreadBy()));
        }
      }
    }
    return chosen;
  }

  private static boolean addsNeededCoverage(
      List<Candidate> group, List<SpreadConstraint> coarser, List<Set<String>> covered) {
    for (int j = 0; j < coarser.size(); j++) {
      if (covered.get(j).size() >= min(coarser.get(j))) {
        continue;
      }
      for (Candidate c : group) {
        if (!covered.get(j).contains(key(c, coarser.get(j).spreadBy()))) {
          return true;
        }
      }
    }
    return false;
  }

  static String plural(long n, String word) {
    String w =
        n == 1
            ? word
            : word.endsWith("y") ? word.substring(0, word.length() - 1) + "ies" : word + "s";
    return n + " " + w;
  }
}
