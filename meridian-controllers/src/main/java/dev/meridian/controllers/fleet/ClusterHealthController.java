package dev.meridian.controllers.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.runtime.Reconciler;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberException;
import dev.meridian.members.ProbeResult;
import dev.meridian.members.ResourceAmounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probes each member cluster and keeps its {@code Cluster} status true: the {@code Ready}
 * condition, version, distribution, capacity, API latency and probe time.
 *
 * <p>A cluster that stops answering keeps its last condition for a grace period (default 40 s),
 * then turns {@code Ready=Unknown} and gets the taint {@value #UNREACHABLE} (a cluster that answers
 * but is not ready gets {@value #NOT_READY}); failover uses these taints. A cluster that comes back
 * loses them. Every transition of {@code Ready} is recorded as an event.
 */
public final class ClusterHealthController implements Reconciler {
  public static final String UNREACHABLE = "cluster.meridian.dev/unreachable";
  public static final String NOT_READY = "cluster.meridian.dev/not-ready";

  /** How often to probe, and how long a silent cluster keeps its last state. */
  public record Options(Duration probeInterval, Duration gracePeriod) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(10), Duration.ofSeconds(40));
    }
  }

  private final ObjectClient objects;
  private final ResourceType clusters;
  private final MemberRegistry members;
  private final EventRecorder events;
  private final Clock clock;
  private final Options options;

  /** When each cluster last answered a probe, or when we started probing it. */
  private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();

  public ClusterHealthController(
      ObjectClient objects,
      ResourceType clusters,
      MemberRegistry members,
      EventRecorder events,
      Clock clock,
      Options options) {
    this.objects = objects;
    this.clusters = clusters;
    this.members = members;
    this.events = events;
    this.clock = clock;
    this.options = options;
  }

  @Override
  public Duration reconcile(String name) {
    Optional<ObjectNode> found = objects.get(clusters, "", name);
    if (found.isEmpty() || Meta.deleting(found.get())) {
      members.forget(name);
      lastHeard.remove(name);
      return null;
    }
    ObjectNode cluster = found.get();
    Instant now = Instant.now(clock);
    ProbeResult probe = null;
    String failure;
    try {
      MemberCluster member = members.member(cluster);
      probe = member.probe();
      failure = null;
    } catch (MemberException e) {
      failure = e.getMessage();
    }
    if (probe != null) {
      lastHeard.put(name, now);
    } else {
      lastHeard.putIfAbsent(name, now);
    }
    Condition previous = readyCondition(cluster);
    Condition next;
    if (probe != null && probe.ready()) {
      next = new Condition("True", "Healthy", "the API server is ready");
    } else if (probe != null) {
      next =
          new Condition("False", "NotReady", "the API server is not ready: " + probe.readiness());
    } else if (Duration.between(lastHeard.get(name), now).compareTo(options.gracePeriod()) >= 0) {
      next =
          new Condition(
              "Unknown",
              "Unreachable",
              "no answer for " + options.gracePeriod().toSeconds() + "s: " + failure);
    } else {
      next =
          previous != null
              ? previous
              : new Condition(
                  "Unknown", "Probing", "waiting for the first successful probe: " + failure);
    }
    ObjectNode current = updateTaints(cluster, next, now);
    updateStatus(current, next, probe, now);
    if (previous == null || !previous.status().equals(next.status())) {
      String msg = "Ready is " + next.status() + " (" + next.reason() + "): " + next.message();
      if (next.status().equals("True")) {
        events.normal(current, "ClusterReady", msg);
      } else {
        events.warning(
            current,
            next.reason().equals("Unreachable") ? "ClusterUnreachable" : "ClusterNotReady",
            msg);
      }
    }
    return options.probeInterval();
  }

  /** The Ready condition as the controller decides it. */
  record Condition(String status, String reason, String message) {}

  private static Condition readyCondition(ObjectNode cluster) {
    for (JsonNode c : cluster.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return new Condition(
            c.path("status").asText(), c.path("reason").asText(), c.path("message").asText());
      }
    }
    return null;
  }

  private ObjectNode updateTaints(ObjectNode cluster, Condition ready, Instant now) {
    String wanted =
        switch (ready.status()) {
          case "False" -> NOT_READY;
          case "Unknown" -> ready.reason().equals("Unreachable") ? UNREACHABLE : null;
          default -> null;
        };
    ArrayNode taints = ResourceCodec.newArray();
    boolean present = false;
    boolean changed = false;
    for (JsonNode t : cluster.path("spec").path("taints")) {
      String key = t.path("key").asText();
      boolean ours = key.equals(UNREACHABLE) || key.equals(NOT_READY);
      if (ours && !key.equals(wanted)) {
        changed = true;
        continue;
      }
      present |= key.equals(wanted);
      taints.add(t);
    }
    if (wanted != null && !present) {
      taints
          .addObject()
          .put("key", wanted)
          .put("effect", "NoExecute")
          .put("timeAdded", now.truncatedTo(ChronoUnit.SECONDS).toString());
      changed = true;
    }
    if (!changed) {
      return cluster;
    }
    ObjectNode next = cluster.deepCopy();
    ((ObjectNode) next.get("spec")).set("taints", taints);
    return objects.update(clusters, "", next);
  }

  private void updateStatus(ObjectNode cluster, Condition next, ProbeResult probe, Instant now) {
    ObjectNode updated = cluster.deepCopy();
    ObjectNode status =
        updated.has("status") && updated.get("status").isObject()
            ? (ObjectNode) updated.get("status")
            : updated.putObject("status");
    String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    ArrayNode conditions = ResourceCodec.newArray();
    for (JsonNode c : status.path("conditions")) {
      if (!c.path("type").asText().equals("Ready")) {
        conditions.add(c); // others' conditions stay as they are
      }
    }
    ObjectNode ready =
        conditions
            .addObject()
            .put("type", "Ready")
            .put("status", next.status())
            .put("reason", next.reason())
            .put("message", next.message());
    Conditions.stampTransitions(ResourceCodec.newArray().add(ready), updated, now);
    status.set("conditions", conditions);
    status.put("lastProbeTime", stamp);
    if (probe != null) {
      status.put("kubernetesVersion", probe.kubernetesVersion());
      status.put("distribution", probe.distribution());
      status.set("allocatable", amounts(probe.allocatable()));
      status.set("capacity", amounts(probe.capacity()));
      status.put("apiLatencyMs", probe.apiLatency().toNanos() / 1e6);
      status.put("nodeCount", probe.nodeCount());
      if (probe.servedApis() != null) {
        com.fasterxml.jackson.databind.node.ArrayNode apis = status.putArray("apiEnablements");
        probe.servedApis().forEach(apis::add);
      }
    }
    if (!worthWriting(cluster.path("status"), status, now)) {
      return;
    }
    objects.updateStatus(clusters, "", updated);
  }

  /**
   * Every write is kept in the store's watch history, so a probe that found nothing new only writes
   * a heartbeat now and then: when the state changed, when the latency moved by half or more, or
   * when the last probe time on record is older than {@link #HEARTBEAT}.
   */
  static boolean worthWriting(JsonNode before, ObjectNode after, Instant now) {
    ObjectNode a = before.isObject() ? ((ObjectNode) before).deepCopy() : ResourceCodec.newObject();
    ObjectNode b = after.deepCopy();
    for (ObjectNode o : List.of(a, b)) {
      o.remove(List.of("lastProbeTime", "apiLatencyMs"));
    }
    if (!ResourceCodec.sameTree(a, b)) {
      return true;
    }
    double was = before.path("apiLatencyMs").asDouble(-1);
    double is = after.path("apiLatencyMs").asDouble(-1);
    if (was < 0 != is < 0 || Math.abs(is - was) > Math.max(5, 0.5 * was)) {
      return true;
    }
    String last = before.path("lastProbeTime").asText("");
    return last.isEmpty() || Duration.between(Instant.parse(last), now).compareTo(HEARTBEAT) >= 0;
  }

  /** How often an unchanged cluster's status is rewritten to show the hub still probes it. */
  static final Duration HEARTBEAT = Duration.ofSeconds(60);

  private static ObjectNode amounts(ResourceAmounts a) {
    ObjectNode o = ResourceCodec.newObject();
    if (a != null) {
      o.put(
          "cpu",
          a.cpuMillis() % 1000 == 0 ? String.valueOf(a.cpuMillis() / 1000) : a.cpuMillis() + "m");
      long mem = a.memoryBytes();
      o.put(
          "memory",
          mem % (1L << 30) == 0
              ? (mem >> 30) + "Gi"
              : mem % (1L << 20) == 0
                  ? (mem >> 20) + "Mi"
                  : mem % 1024 == 0 ? (mem >> 10) + "Ki" : String.valueOf(mem));
      o.put("pods", String.valueOf(a.pods()));
    }
    return o;
  }
}
