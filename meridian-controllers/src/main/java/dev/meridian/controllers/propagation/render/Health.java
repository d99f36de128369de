package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import java.util.Locale;

/**
 * How an object applied to a member is doing, read from its status the way {@code kubectl rollout
 * status} and Kubernetes' own controllers read it, for the Work's and the template's status.
 *
 * @param desired replicas wanted, where the kind has a count (for a Job: completions)
 * @param ready replicas ready (for a Job: pods succeeded)
 * @param available replicas available, where the kind reports it
 * @param message short, for a person: {@code "2 of 3 updated"}
 */
public record Health(
    State state, Integer desired, Integer ready, Integer available, String message) {

  /** The summary a dashboard shows; {@link #label()} is how statuses spell it. */
  public enum State {
    HEALTHY,
    PROGRESSING,
    DEGRADED,
    UNKNOWN;

    /** As written in statuses: {@code Healthy}, {@code Progressing}, ... */
    public String label() {
      String n = name();
      return n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT);
    }
  }

  static Health healthy(String message) {
    return new Health(State.HEALTHY, null, null, null, message);
  }

  static Health progressing(String message) {
    return new Health(State.PROGRESSING, null, null, null, message);
  }

  static Health degraded(String message) {
    return new Health(State.DEGRADED, null, null, null, message);
  }

  Health withCounts(Integer desired, Integer ready, Integer available) {
    return new Health(state, desired, ready, available, message);
  }

  /**
   * The health of a live object: Deployment, StatefulSet, DaemonSet, Job, Service and
   * PersistentVolumeClaim are understood; any other kind is read from its {@code Ready} or {@code
   * Available} condition (and the kstatus {@code Stalled} and {@code Reconciling} ones), and is
   * healthy when it exists and reports nothing. {@code null} (not found) is {@code UNKNOWN}.
   */
  public static Health of(ObjectNode live) {
    if (live == null) {
      return new Health(State.UNKNOWN, null, null, null, "not found");
    }
    if (live.path("metadata").hasNonNull("deletionTimestamp")) {
      return progressing("being deleted");
    }
    return switch (Kinds.of(live)) {
      case Kinds.DEPLOYMENT -> WorkloadHealth.deployment(live);
      case Kinds.STATEFUL_SET -> WorkloadHealth.statefulSet(live);
      case Kinds.DAEMON_SET -> WorkloadHealth.daemonSet(live);
      case Kinds.JOB -> WorkloadHealth.job(live);
      case Kinds.SERVICE -> service(live);
      case Kinds.PVC -> claim(live);
      default -> generic(live);
    };
  }

  private static Health service(ObjectNode svc) {
    if (!svc.path("spec").path("type").asText("").equals("LoadBalancer")) {
      return healthy("service");
    }
    JsonNode ingress = svc.path("status").path("loadBalancer").path("ingress");
    if (ingress.isEmpty()) {
      return progressing("waiting for a load balancer address");
    }
    JsonNode first = ingress.get(0);
    String address = first.path("ip").asText(first.path("hostname").asText(""));
    return healthy("load balancer at " + address);
  }

  private static Health claim(ObjectNode pvc) {
    String phase = pvc.path("status").path("phase").asText("");
    return switch (phase) {
      case "Bound" -> healthy("bound");
      case "Lost" -> degraded("the bound volume is lost");
      default -> progressing("waiting to be bound");
    };
  }

  /**
   * Conditions by convention: {@code Ready} (or else {@code Available}) True is healthy; False is
   * progressing when its reason says work is under way and degraded otherwise; kstatus' {@code
   * Stalled} True is degraded and {@code Reconciling} True progressing.
   */
  private static Health generic(ObjectNode obj) {
    if (Conditions.isTrue(obj, "Stalled")) {
      return degraded(describe("stalled", Conditions.find(obj, "Stalled")));
    }
    JsonNode status = obj.path("status");
    Integer observed = JsonValues.integer(status.path("observedGeneration"));
    Integer generation = JsonValues.integer(obj.path("metadata").path("generation"));
    if (observed != null && generation != null && observed < generation) {
      return progressing("waiting for the controller to see the latest change");
    }
    if (Conditions.isTrue(obj, "Reconciling")) {
      return progressing(describe("reconciling", Conditions.find(obj, "Reconciling")));
    }
    JsonNode c = Conditions.find(obj, "Ready");
    if (c.isMissingNode()) {
      c = Conditions.find(obj, "Available");
    }
    if (c.isMissingNode()) {
      return healthy("exists");
    }
    String type = c.path("type").asText();
    return switch (c.path("status").asText("")) {
      case "True" -> healthy(type.toLowerCase(Locale.ROOT));
      case "False" ->
          underWay(c.path("reason").asText(""))
              ? progressing(describe("not " + type.toLowerCase(Locale.ROOT) + " yet", c))
              : degraded(describe("not " + type.toLowerCase(Locale.ROOT), c));
      default -> progressing(describe(type.toLowerCase(Locale.ROOT) + " unknown", c));
    };
  }

  /** Reasons that by common usage mean "not yet" rather than "broken". */
  private static boolean underWay(String reason) {
    String r = reason.toLowerCase(Locale.ROOT);
    for (String word :
        new String[] {
          "progress",
          "pending",
          "waiting",
          "reconcil",
          "creating",
          "initializ",
          "provisioning",
          "updating",
          "starting",
          "deploying",
          "scaling"
        }) {
      if (r.contains(word)) {
        return true;
      }
    }
    return false;
  }

  static String describe(String what, JsonNode condition) {
    String why = Conditions.explain(condition);
    return why.isEmpty() ? what : what + " (" + why + ")";
  }
}
