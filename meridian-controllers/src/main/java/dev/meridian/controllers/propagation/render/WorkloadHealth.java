package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;

/**
 * Health of the built-in workloads, following the checks of {@code kubectl rollout status}: the
 * controller must have seen the latest generation, then every replica must be updated, ready and
 * available. A workload that is merely slow is progressing; it is degraded only when Kubernetes
 * itself says it gave up (a Deployment past its progress deadline, a failed Job) or when a
 * Deployment that had finished rolling out loses available replicas.
 */
final class WorkloadHealth {
  private WorkloadHealth() {}

  static Health deployment(ObjectNode d) {
    JsonNode st = d.path("status");
    int desired = JsonValues.integer(d.path("spec").path("replicas"), 1);
    int replicas = JsonValues.integer(st.path("replicas"), 0);
    int updated = JsonValues.integer(st.path("updatedReplicas"), 0);
    int ready = JsonValues.integer(st.path("readyReplicas"), 0);
    int available = JsonValues.integer(st.path("availableReplicas"), 0);
    JsonNode progressing = Conditions.find(d, "Progressing");
    Health h;
    if (progressing
        .path("reason")
        .asText("")
        .equals(StatusAggregation.PROGRESS_DEADLINE_EXCEEDED)) {
      h = Health.degraded(Health.describe("rollout exceeded its progress deadline", progressing));
    } else if (behind(d)) {
      h = Health.progressing("waiting for the controller to see the latest change");
    } else if (updated < desired) {
      h = Health.progressing(paused(d) + updated + " of " + desired + " updated");
    } else if (replicas > updated) {
      h = Health.progressing((replicas - updated) + " old replicas terminating");
    } else if (available < updated) {
      JsonNode availableCondition = Conditions.find(d, "Available");
      boolean settled = progressing.path("reason").asText("").equals("NewReplicaSetAvailable");
      boolean unavailable = availableCondition.path("status").asText("").equals("False");
      String counts = available + " of " + desired + " available";
      h =
          settled && unavailable
              ? Health.degraded(Health.describe(counts, availableCondition))
              : Health.progressing(counts);
    } else {
      h = Health.healthy(desired == 0 ? "scaled to zero" : ready + "/" + desired + " ready");
    }
    return h.withCounts(desired, ready, available);
  }

  static Health statefulSet(ObjectNode s) {
    JsonNode spec = s.path("spec");
    JsonNode st = s.path("status");
    int desired = JsonValues.integer(spec.path("replicas"), 1);
    int replicas = JsonValues.integer(st.path("replicas"), 0);
    int ready = JsonValues.integer(st.path("readyReplicas"), 0);
    int updated = JsonValues.integer(st.path("updatedReplicas"), 0);
    Integer available = JsonValues.integer(st.path("availableReplicas"));
    JsonNode strategy = spec.path("updateStrategy");
    int partition = JsonValues.integer(strategy.path("rollingUpdate").path("partition"), 0);
    Health h;
    if (behind(s)) {
      h = Health.progressing("waiting for the controller to see the latest change");
    } else if (ready < desired) {
      h = Health.progressing(ready + " of " + desired + " ready");
    } else if (replicas > desired) {
      h = Health.progressing("scaling down to " + desired);
    } else if (strategy.path("type").asText("").equals("OnDelete")) {
      h = Health.healthy(ready + "/" + desired + " ready");
    } else if (partition > 0) {
      int wanted = Math.max(0, desired - partition);
      h =
          updated < wanted
              ? Health.progressing(updated + " of " + wanted + " updated (partitioned)")
              : Health.healthy(ready + "/" + desired + " ready, partitioned rollout done");
    } else if (!st.path("currentRevision")
        .asText("")
        .equals(st.path("updateRevision").asText(""))) {
      h = Health.progressing(updated + " of " + desired + " updated");
    } else {
      h = Health.healthy(desired == 0 ? "scaled to zero" : ready + "/" + desired + " ready");
    }
    return h.withCounts(desired, ready, available);
  }

  static Health daemonSet(ObjectNode ds) {
    JsonNode st = ds.path("status");
    int desired = JsonValues.integer(st.path("desiredNumberScheduled"), 0);
    int ready = JsonValues.integer(st.path("numberReady"), 0);
    int available = JsonValues.integer(st.path("numberAvailable"), 0);
    int updated = JsonValues.integer(st.path("updatedNumberScheduled"), 0);
    boolean onDelete =
        ds.path("spec").path("updateStrategy").path("type").asText("").equals("OnDelete");
    Health h;
    if (behind(ds)) {
      h = Health.progressing("waiting for the controller to see the latest change");
    } else if (!onDelete && updated < desired) {
      h = Health.progressing(updated + " of " + desired + " updated");
    } else if (ready < desired) {
      h = Health.progressing(ready + " of " + desired + " ready");
    } else if (available < desired) {
      h = Health.progressing(available + " of " + desired + " available");
    } else {
      h = Health.healthy(desired == 0 ? "no nodes to run on" : ready + "/" + desired + " ready");
    }
    return h.withCounts(desired, ready, available);
  }

  static Health job(ObjectNode job) {
    JsonNode st = job.path("status");
    Integer completions = JsonValues.integer(job.path("spec").path("completions"));
    int succeeded = JsonValues.integer(st.path("succeeded"), 0);
    Health h;
    if (Conditions.isTrue(job, "Failed")) {
      h = Health.degraded(Health.describe("failed", Conditions.find(job, "Failed")));
    } else if (Conditions.isTrue(job, "FailureTarget")) {
      h = Health.degraded(Health.describe("failing", Conditions.find(job, "FailureTarget")));
    } else if (Conditions.isTrue(job, "Complete")) {
      h = Health.healthy("complete");
    } else if (job.path("spec").path("suspend").asBoolean(false)) {
      h = Health.progressing("suspended");
    } else {
      int active = JsonValues.integer(st.path("active"), 0);
      h = Health.progressing(active + " active, " + succeeded + " succeeded");
    }
    return h.withCounts(completions, succeeded, null);
  }

  /** Whether the controller has not yet acted on the latest spec. */
  private static boolean behind(JsonNode obj) {
    int generation = JsonValues.integer(obj.path("metadata").path("generation"), 0);
    return JsonValues.integer(obj.path("status").path("observedGeneration"), 0) < generation;
  }

  private static String paused(JsonNode d) {
    return d.path("spec").path("paused").asBoolean(false) ? "rollout paused: " : "";
  }
}
