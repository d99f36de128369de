package dev.meridian.controllers.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberException;
import dev.meridian.members.kubernetes.KubernetesMembers;
import dev.meridian.members.simulated.SimulatedMember;
import dev.meridian.members.simulated.SimulatedMembers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one {@link MemberCluster} per {@code Cluster}: a Kubernetes connection built from the
 * credentials Secret, or a simulated cluster built from {@code spec.connection.simulated}. A
 * connection is rebuilt only when what it was built from changes (the Secret's version, the
 * simulated capacity or latency); failure injection on a simulated cluster is applied in place so
 * its workloads survive a drill.
 */
public final class FleetMembers implements MemberRegistry {
  private final ObjectClient objects;
  private final ResourceType secrets;
  private final KubernetesMembers kubernetes;
  private final SimulatedMembers simulated;
  private final Map<String, Entry> members = new ConcurrentHashMap<>();

  private record Entry(String fingerprint, MemberCluster member) {}

  public FleetMembers(
      ObjectClient objects,
      ResourceType secrets,
      KubernetesMembers kubernetes,
      SimulatedMembers simulated) {
    this.objects = objects;
    this.secrets = secrets;
    this.kubernetes = kubernetes;
    this.simulated = simulated;
  }

  @Override
  public MemberCluster member(ObjectNode cluster) {
    String name = Meta.name(cluster);
    JsonNode connection = cluster.path("spec").path("connection");
    if (connection.has("simulated")) {
      JsonNode sim = connection.get("simulated");
      String fingerprint =
          "sim|"
              + sim.path("capacity")
              + "|"
              + sim.path("apiLatencyMs")
              + "|"
              + sim.path("servePods")
              + "|"
              + cluster.path("spec").path("location");
      Entry entry =
          members.compute(
              name,
              (n, old) ->
                  reuseOr(
                      old,
                      fingerprint,
                      () -> simulated.create(Typed.read(cluster, Cluster.class))));
      SimulatedMember member = (SimulatedMember) entry.member();
      String failure = sim.path("failure").asText("None");
      member.slow(
          failure.equals("Slow")
              ? sim.path("slowFactor").asDouble(SimulatedMembers.SLOW_FACTOR)
              : 1);
      if (failure.equals("Down")) {
        member.fail();
      } else if (member.isFailed()) {
        member.recover();
      }
      return member;
    }
    JsonNode ref = connection.path("kubeconfigSecret");
    if (ref.isObject()) {
      String ns = ref.path("namespace").asText("meridian-system");
      String secretName = ref.path("name").asText("");
      ObjectNode secret =
          objects
              .get(secrets, ns, secretName)
              .orElseThrow(
                  () ->
                      MemberException.configuration(
                          name,
                          "its credentials Secret " + ns + "/" + secretName + " does not exist"));
      String kubeconfig = decoded(secret, "kubeconfig");
      if (kubeconfig == null) {
        throw MemberException.configuration(
            name, "its credentials Secret " + ns + "/" + secretName + " has no data.kubeconfig");
      }
      String context = ref.path("context").asText("");
      if (context.isEmpty()) {
        context = decoded(secret, "context");
      }
      String ctx = context == null || context.isEmpty() ? null : context;
      String fingerprint = "kube|" + Meta.resourceVersion(secret) + "|" + ctx;
      return members
          .compute(
              name,
              (n, old) ->
                  reuseOr(old, fingerprint, () -> kubernetes.connect(name, kubeconfig, ctx)))
          .member();
    }
    throw MemberException.configuration(
        name, "spec.connection names no way to reach it (kubeconfigSecret or simulated)");
  }

  private static Entry reuseOr(
      Entry old, String fingerprint, java.util.function.Supplier<MemberCluster> create) {
    if (old != null && old.fingerprint().equals(fingerprint)) {
      return old;
    }
    MemberCluster fresh = create.get();
    if (old != null) {
      old.member().close();
    }
    return new Entry(fingerprint, fresh);
  }

  private static String decoded(ObjectNode secret, String key) {
    JsonNode v = secret.path("data").path(key);
    if (v.isTextual()) {
      try {
        return new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    JsonNode s = secret.path("stringData").path(key);
    return s.isTextual() ? s.asText() : null;
  }

  @Override
  public MemberCluster connected(String name) {
    Entry e = members.get(name);
    return e == null ? null : e.member();
  }

  @Override
  public void forget(String clusterName) {
    Entry e = members.remove(clusterName);
    if (e != null) {
      e.member().close();
    }
  }

  @Override
  public void close() {
    members.values().forEach(e -> e.member().close());
    members.clear();
  }
}
