package dev.meridian.members.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Fields a real API server fills in on write (the ones controllers read back), and the server-owned
 * fields that survive a re-apply.
 */
final class ServerDefaults {
  private ServerDefaults() {}

  /**
   * Completes {@code obj} (a fresh copy of the manifest) in place.
   *
   * @param existing the stored object, or null on create
   * @param clusterIp allocates a Service IP
   * @param nodePort allocates a node port
   */
  static void complete(
      ResourceType type,
      ObjectNode obj,
      JsonNode existing,
      Supplier<String> clusterIp,
      IntSupplier nodePort) {
    String kind = type.kind();
    if (type.group().equals("apps") && (kind.equals("Deployment") || kind.equals("StatefulSet"))) {
      ObjectNode spec = spec(obj);
      if (!spec.has("replicas")) {
        spec.put("replicas", 1);
      }
      if (kind.equals("Deployment") && !spec.has("strategy")) {
        spec.putObject("strategy")
            .put("type", "RollingUpdate")
            .putObject("rollingUpdate")
            .put("maxUnavailable", "25%")
            .put("maxSurge", "25%");
      }
      if (!spec.has("revisionHistoryLimit")) {
        spec.put("revisionHistoryLimit", 10);
      }
      if (kind.equals("Deployment") && !spec.has("progressDeadlineSeconds")) {
        spec.put("progressDeadlineSeconds", 600);
      }
    } else if (type.group().equals("batch") && kind.equals("Job")) {
      ObjectNode spec = spec(obj);
      if (!spec.has("completions")) {
        spec.put("completions", 1);
      }
      if (!spec.has("parallelism")) {
        spec.put("parallelism", 1);
      }
      if (!spec.has("backoffLimit")) {
        spec.put("backoffLimit", 6);
      }
    } else if (type.group().isEmpty() && kind.equals("Service")) {
      completeService(obj, existing, clusterIp, nodePort);
    } else if (type.group().isEmpty() && kind.equals("Namespace")) {
      obj.putObject("status").put("phase", "Active");
    } else if (type.group().equals("apiextensions.k8s.io")) {
      completeCrd(obj);
    }
  }

  private static void completeService(
      ObjectNode obj, JsonNode existing, Supplier<String> clusterIp, IntSupplier nodePort) {
    ObjectNode spec = spec(obj);
    String type = spec.path("type").asText("ClusterIP");
    spec.put("type", type);
    if (!spec.has("sessionAffinity")) {
      spec.put("sessionAffinity", "None");
    }
    if (type.equals("ExternalName")) {
      return;
    }
    JsonNode before = existing == null ? null : existing.path("spec");
    if (!spec.has("clusterIP")) {
      String ip =
          before != null && before.hasNonNull("clusterIP")
              ? before.get("clusterIP").asText()
              : clusterIp.get();
      spec.put("clusterIP", ip);
    }
    spec.putArray("clusterIPs").add(spec.get("clusterIP").asText());
    if (!"None".equals(spec.get("clusterIP").asText())) {
      spec.putArray("ipFamilies").add("IPv4");
      spec.put("ipFamilyPolicy", "SingleStack");
      spec.put("internalTrafficPolicy", spec.path("internalTrafficPolicy").asText("Cluster"));
    }
    boolean nodePorts = type.equals("NodePort") || type.equals("LoadBalancer");
    JsonNode oldPorts = before == null ? null : before.path("ports");
    if (spec.get("ports") instanceof ArrayNode ports) {
      for (int i = 0; i < ports.size(); i++) {
        if (!(ports.get(i) instanceof ObjectNode p)) {
          continue;
        }
        if (!p.has("protocol")) {
          p.put("protocol", "TCP");
        }
        if (!p.has("targetPort")) {
          p.set("targetPort", p.get("port"));
        }
        if (nodePorts && !p.has("nodePort")) {
          JsonNode old = oldPorts == null ? null : oldPorts.path(i).get("nodePort");
          p.put("nodePort", old != null ? old.asInt() : nodePort.getAsInt());
        }
      }
    }
    if (type.equals("LoadBalancer")) {
      obj.putObject("status").putObject("loadBalancer");
    }
  }

  private static void completeCrd(ObjectNode crd) {
    ObjectNode status = crd.putObject("status");
    status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
    ArrayNode stored = status.putArray("storedVersions");
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        stored.add(v.path("name").asText());
      }
    }
    ArrayNode conditions = status.putArray("conditions");
    for (String t : new String[] {"NamesAccepted", "Established"}) {
      conditions
          .addObject()
          .put("type", t)
          .put("status", "True")
          .put("reason", t.equals("Established") ? "InitialNamesAccepted" : "NoConflicts")
          .put("lastTransitionTime", Meta.metadata(crd).path("creationTimestamp").asText(""));
    }
  }

  private static ObjectNode spec(ObjectNode obj) {
    JsonNode s = obj.get("spec");
    return s instanceof ObjectNode o ? o : obj.putObject("spec");
  }
}
