package dev.meridian.members.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.members.ResourceAmounts;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the controllers and scheduler of a simulated cluster would do to its Deployments,
 * StatefulSets and Jobs: place pods while capacity lasts (oldest workload first), let placed pods
 * become ready after a start delay, complete Jobs, and write the status the real controllers write.
 * Pods are not objects here, only counts. Not thread-safe: the member's lock guards it.
 */
final class WorkloadSimulation {

  /** One simulated workload's pod counts. */
  static final class Workload {
    final String key;
    final boolean job;
    long generation = -1;
    int templateHash;
    int desired;
    int maxUnavailable;
    ResourceAmounts perPod = ResourceAmounts.ZERO;
    int scheduled; // pods that found room
    int ready; // pods started
    int updated; // pods on the current template
    boolean starting; // a start timer is pending
    boolean completed; // Jobs

    Workload(String key, boolean job) {
      this.key = key;
      this.job = job;
    }
  }

  private final Map<String, Workload> workloads = new LinkedHashMap<>(4);

  static boolean simulates(String group, String kind) {
    return (group.equals("apps") && (kind.equals("Deployment") || kind.equals("StatefulSet")))
        || (group.equals("batch") && kind.equals("Job"));
  }

  Workload get(String key) {
    return workloads.get(key);
  }

  /** Takes note of an applied workload; returns it. */
  Workload applied(String key, ObjectNode obj) {
    boolean job = Meta.kind(obj).equals("Job");
    Workload w = workloads.computeIfAbsent(key, k -> new Workload(k, job));
    long gen = obj.path("metadata").path("generation").asLong(1);
    if (gen == w.generation) {
      return w;
    }
    JsonNode spec = obj.path("spec");
    JsonNode template = spec.path("template");
    int hash = template.hashCode();
    boolean templateChanged = w.generation >= 0 && hash != w.templateHash;
    w.generation = gen;
    w.templateHash = hash;
    w.perPod = ResourceAmounts.podRequests(template.path("spec"));
    if (job) {
      w.desired = spec.path("completions").asInt(1);
    } else {
      w.desired = Math.max(0, spec.path("replicas").asInt(1));
      w.maxUnavailable =
          Meta.kind(obj).equals("Deployment")
              ? intOrPercent(
                  spec.path("strategy").path("rollingUpdate").path("maxUnavailable"), w.desired)
              : 0;
      if (templateChanged) {
        w.updated = 0; // the old pods serve until new ones are up
      }
    }
    return w;
  }

  void removed(String key) {
    workloads.remove(key);
  }

  /** What the running pods of every workload ask for. Jobs run outside the capacity model. */
  ResourceAmounts used() {
    ResourceAmounts sum = ResourceAmounts.ZERO;
    for (Workload w : workloads.values()) {
      if (!w.job) {
        sum = sum.plus(w.perPod.times(w.scheduled));
      }
    }
    return sum;
  }

  /**
   * Places pods in {@code capacity}, oldest workload first; pods beyond capacity stay pending.
   *
   * @return the workloads whose counts changed (their status needs rewriting)
   */
  List<Workload> place(ResourceAmounts capacity) {
    List<Workload> changed = new ArrayList<>();
    ResourceAmounts free = capacity;
    for (Workload w : workloads.values()) {
      if (w.job) {
        continue;
      }
      int fit = (int) Math.min(w.desired, free.howManyFit(w.perPod));
      free = free.minus(w.perPod.times(fit));
      boolean moved = fit != w.scheduled || w.ready > fit || w.updated > w.desired;
      w.scheduled = fit;
      w.ready = Math.min(w.ready, fit);
      w.updated = Math.min(w.updated, w.desired);
      if (moved) {
        changed.add(w);
      }
    }
    return changed;
  }

  /** True if pods wait to start (or a Job to finish) and no start is scheduled yet. */
  static boolean needsStart(Workload w) {
    boolean waiting = w.job ? !w.completed : w.ready < w.scheduled || w.updated < w.desired;
    return waiting && !w.starting;
  }

  /** The start delay is over: pods placed by now are ready, a Job is complete. */
  boolean start(Workload w) {
    w.starting = false;
    if (workloads.get(w.key) != w) {
      return false; // deleted meanwhile
    }
    if (w.job) {
      boolean change = !w.completed;
      w.completed = true;
      return change;
    }
    boolean change = w.ready != w.scheduled || w.updated != w.desired;
    w.ready = w.scheduled;
    w.updated = w.desired;
    return change;
  }

  /** A copy of {@code obj} with the status its controller would write now. */
  static ObjectNode withStatus(ObjectNode obj, Workload w, String now) {
    ObjectNode next = obj.deepCopy();
    JsonNode before = obj.path("status");
    ObjectNode s = next.putObject("status");
    if (w.job) {
      jobStatus(s, before, w, now);
      return next;
    }
    String kind = Meta.kind(obj);
    s.put("observedGeneration", w.generation);
    putIfPositive(s, "replicas", w.desired);
    putIfPositive(s, "updatedReplicas", w.updated);
    putIfPositive(s, "readyReplicas", w.ready);
    putIfPositive(s, "availableReplicas", w.ready);
    if (kind.equals("StatefulSet")) {
      putIfPositive(s, "currentReplicas", w.updated);
      String revision = Meta.name(obj) + "-" + revisionHash(w);
      s.put("currentRevision", revision).put("updateRevision", revision).put("collisionCount", 0);
    } else {
      putIfPositive(s, "unavailableReplicas", w.desired - w.ready);
    }
    ArrayNode conditions = s.putArray("conditions");
    boolean available = w.ready >= w.desired - w.maxUnavailable;
    condition(
        conditions,
        before,
        "Available",
        available,
        available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        available
            ? kind + " has minimum availability."
            : kind + " does not have minimum availability.",
        now);
    String rs = "ReplicaSet \"" + Meta.name(obj) + "-" + revisionHash(w) + "\"";
    boolean done = w.ready == w.desired && w.updated == w.desired;
    int pending = w.desired - w.scheduled;
    condition(
        conditions,
        before,
        "Progressing",
        true,
        done ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
        done
            ? rs + " has successfully progressed."
            : pending > 0
                ? rs
                    + " is progressing; "
                    + pending
                    + " of "
                    + w.desired
                    + " pods are pending: insufficient capacity"
                : rs + " is progressing.",
        now);
    return next;
  }

  private static void jobStatus(ObjectNode s, JsonNode before, Workload w, String now) {
    s.put("startTime", before.path("startTime").asText(now));
    if (!w.completed) {
      s.put("active", w.desired);
      s.put("ready", 0);
      s.put("terminating", 0);
      return;
    }
    s.put("succeeded", w.desired);
    s.put("ready", 0);
    s.put("terminating", 0);
    s.put("completionTime", before.path("completionTime").asText(now));
    s.putObject("uncountedTerminatedPods");
    ArrayNode conditions = s.putArray("conditions");
    condition(
        conditions,
        before,
        "SuccessCriteriaMet",
        true,
        "CompletionsReached",
        "Reached expected number of succeeded pods",
        now);
    condition(
        conditions,
        before,
        "Complete",
        true,
        "CompletionsReached",
        "Reached expected number of succeeded pods",
        now);
  }

  private static void condition(
      ArrayNode out,
      JsonNode beforeStatus,
      String type,
      boolean status,
      String reason,
      String message,
      String now) {
    String value = status ? "True" : "False";
    String transition = now;
    String update = now;
    for (Iterator<JsonNode> it = beforeStatus.path("conditions").elements(); it.hasNext(); ) {
      JsonNode c = it.next();
      if (type.equals(c.path("type").asText())) {
        if (value.equals(c.path("status").asText())) {
          transition = c.path("lastTransitionTime").asText(now);
          if (reason.equals(c.path("reason").asText())
              && message.equals(c.path("message").asText())) {
            update = c.path("lastUpdateTime").asText(now);
          }
        }
      }
    }
    ObjectNode c = out.addObject().put("type", type).put("status", value);
    c.put("lastUpdateTime", update).put("lastTransitionTime", transition);
    c.put("reason", reason).put("message", message);
  }

  private static String revisionHash(Workload w) {
    return Integer.toHexString(w.templateHash & 0x7fffffff);
  }

  private static void putIfPositive(ObjectNode s, String field, int v) {
    if (v > 0) {
      s.put(field, v);
    }
  }

  /** An int-or-percent field such as maxUnavailable ("25%" of total, rounded down). */
  static int intOrPercent(JsonNode v, int total) {
    if (v.isMissingNode() || v.isNull()) {
      return total / 4;
    }
    String s = v.asText();
    if (s.endsWith("%")) {
      try {
        return total * Integer.parseInt(s.substring(0, s.length() - 1)) / 100;
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return v.asInt(0);
  }
}
