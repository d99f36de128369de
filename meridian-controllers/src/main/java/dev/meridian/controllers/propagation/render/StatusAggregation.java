package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.ResourceCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Builds a template's {@code status} on the hub from its copies in the members, so that {@code
 * kubectl get deploy} against the hub shows the fleet-wide counts and {@code kubectl describe}
 * shows each cluster.
 *
 * <p>The result has the kind's own counters summed over clusters (for a Deployment {@code replicas,
 * readyReplicas, availableReplicas, updatedReplicas}), a {@code clusters} list sorted by name, and
 * one {@code Healthy} condition that is True only when every cluster is healthy (and {@code
 * Progressing} when a member's rollout timed out).
 */
public final class StatusAggregation {
  /** The condition type this writes. */
  public static final String HEALTHY = "Healthy";

  /** The reason a Deployment's {@code Progressing} condition gives when its rollout timed out. */
  static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

  /** Counters summed per kind: the columns {@code kubectl get} prints for it. */
  private static final Map<String, List<String>> SUMMED =
      Map.of(
          Kinds.DEPLOYMENT,
              List.of("replicas", "readyReplicas", "availableReplicas", "updatedReplicas"),
          Kinds.REPLICA_SET, List.of("replicas", "readyReplicas", "availableReplicas"),
          Kinds.STATEFUL_SET,
              List.of(
                  "replicas",
                  "readyReplicas",
                  "availableReplicas",
                  "updatedReplicas",
                  "currentReplicas"),
          Kinds.DAEMON_SET,
              List.of(
                  "desiredNumberScheduled",
                  "currentNumberScheduled",
                  "numberReady",
                  "numberAvailable",
                  "updatedNumberScheduled"),
          Kinds.JOB, List.of("active", "succeeded", "failed"));

  /** How a state ranks as the reason of a not-healthy condition: the worst one is named. */
  private static final List<Health.State> WORST_FIRST =
      List.of(Health.State.DEGRADED, Health.State.UNKNOWN, Health.State.PROGRESSING);

  private StatusAggregation() {}

  /**
   * Like {@link #aggregate(ObjectNode, Map, Map, Instant)} without a clock: the condition keeps the
   * template's {@code lastTransitionTime} while its status is unchanged and has none after a
   * change.
   */
  public static ObjectNode aggregate(
      ObjectNode template,
      Map<String, ObjectNode> liveByCluster,
      Map<String, String> errorsByCluster) {
    return aggregate(template, liveByCluster, errorsByCluster, null);
  }

  /**
   * The template's status from each cluster's live copy ({@code null} value: not found there) and
   * the clusters whose copy could not be read or is being changed ({@code errorsByCluster}: shown
   * as {@code Unknown} with the error; counted with their last report in {@code liveByCluster}, if
   * any).
   *
   * @param now when the condition changes status, its {@code lastTransitionTime}; may be null
   */
  public static ObjectNode aggregate(
      ObjectNode template,
      Map<String, ObjectNode> liveByCluster,
      Map<String, String> errorsByCluster,
      Instant now) {
    return aggregate(template, liveByCluster, errorsByCluster, now, -1);
  }

  /**
   * Whether a member's copy has been seen by the member's controller: its {@code
   * status.observedGeneration}, where it has one, is not behind its (the member's) generation.
   */
  public static boolean seenByMember(ObjectNode live) {
    JsonNode observed = live.path("status").path("observedGeneration");
    JsonNode generation = live.path("metadata").path("generation");
    return !observed.isNumber()
        || !generation.isNumber()
        || observed.asLong() >= generation.asLong();
  }

  /**
   * As {@link #aggregate(ObjectNode, Map, Map, Instant)}, with the template's {@code
   * status.observedGeneration} ({@code kubectl rollout status} waits until it is the template's
   * generation); negative: none written. A member's {@code Progressing} condition that says its
   * rollout exceeded its deadline is carried over (named after its cluster), so that {@code kubectl
   * rollout status} stops with that error as it would on the member.
   */
  public static ObjectNode aggregate(
      ObjectNode template,
      Map<String, ObjectNode> liveByCluster,
      Map<String, String> errorsByCluster,
      Instant now,
      long observedGeneration) {
    Objects.requireNonNull(template, "template");
    TreeSet<String> names = new TreeSet<>(liveByCluster.keySet());
    names.addAll(errorsByCluster.keySet());
    ObjectNode status = ResourceCodec.newObject();
    if (observedGeneration >= 0) {
      status.put("observedGeneration", observedGeneration);
    }
    List<String> counters = SUMMED.getOrDefault(Kinds.of(template), List.of());
    long[] sums = new long[counters.size()];
    ArrayNode clusters = ResourceCodec.newArray();
    Map<Health.State, List<String>> byState = new EnumMap<>(Health.State.class);
    for (String name : names) {
      ObjectNode entry = clusters.addObject().put("name", name);
      String error = errorsByCluster.get(name);
      ObjectNode live = liveByCluster.get(name);
      if (error != null) {
        entry.put("health", Health.State.UNKNOWN.label()).put("message", error);
        byState.computeIfAbsent(Health.State.UNKNOWN, s -> new ArrayList<>()).add(name);
        // a copy being changed counts with what it last reported
        addCounters(live, counters, sums);
        continue;
      }
      Health h = Health.of(live);
      byState.computeIfAbsent(h.state(), s -> new ArrayList<>()).add(name);
      entry.put("health", h.state().label());
      if (h.ready() != null) {
        entry.put("ready", h.ready());
      }
      if (h.desired() != null) {
        entry.put("desired", h.desired());
      }
      entry.put("message", h.message());
      addCounters(live, counters, sums);
    }
    for (int i = 0; i < counters.size(); i++) {
      status.put(counters.get(i), sums[i]);
    }
    status.set("clusters", clusters);
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition(names.size(), byState));
    List<String> timedOut = new ArrayList<>();
    for (Map.Entry<String, ObjectNode> e : liveByCluster.entrySet()) {
      if (e.getValue() != null
          && Conditions.find(e.getValue(), "Progressing")
              .path("reason")
              .asText("")
              .equals(PROGRESS_DEADLINE_EXCEEDED)) {
        timedOut.add(e.getKey());
      }
    }
    if (!timedOut.isEmpty()) {
      conditions
          .addObject()
          .put("type", "Progressing")
          .put("status", "False")
          .put("reason", PROGRESS_DEADLINE_EXCEEDED)
          .put(
              "message",
              "the rollout exceeded its progress deadline in " + String.join(", ", timedOut));
    }
    Conditions.stampTransitions(conditions, template, now);
    return status;
  }

  private static void addCounters(ObjectNode live, List<String> counters, long[] sums) {
    if (live != null) {
      for (int i = 0; i < counters.size(); i++) {
        sums[i] += JsonValues.integer(live.path("status").path(counters.get(i)), 0);
      }
    }
  }

  private static ObjectNode condition(int total, Map<Health.State, List<String>> byState) {
    ObjectNode c = ResourceCodec.newObject().put("type", HEALTHY);
    int healthy = byState.getOrDefault(Health.State.HEALTHY, List.of()).size();
    if (total == 0) {
      return c.put("status", "False").put("reason", "NotPlaced").put("message", "on no cluster");
    }
    StringBuilder message =
        new StringBuilder()
            .append(healthy)
            .append(" of ")
            .append(total)
            .append(" clusters healthy");
    String reason = "AllHealthy";
    for (Health.State s : WORST_FIRST) {
      List<String> names = byState.get(s);
      if (names != null) {
        if (reason.equals("AllHealthy")) {
          reason = s.label();
        }
        message
            .append("; ")
            .append(s.label().toLowerCase())
            .append(": ")
            .append(String.join(", ", names));
      }
    }
    return c.put("status", healthy == total ? "True" : "False")
        .put("reason", reason)
        .put("message", message.toString());
  }
}
