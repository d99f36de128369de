package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the ConfigMaps, Secrets, ServiceAccount and PersistentVolumeClaims a workload's pods
 * reference, so that {@code propagateDependencies} can send them to the same clusters: without them
 * the pods would sit in {@code ContainerCreating} or fail admission.
 *
 * <p>A StatefulSet's {@code volumeClaimTemplates} are not dependencies (the StatefulSet controller
 * creates those claims in each member), nor is the {@code default} ServiceAccount (every namespace
 * has one). An object referenced both optionally and not is required.
 */
public final class Dependencies {
  private Dependencies() {}

  /**
   * The dependencies of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * ReplicationController, Job or CronJob, sorted by kind then name; empty for other kinds.
   */
  public static SortedSet<Dependency> of(ObjectNode workload) {
    Found found = new Found();
    PodTemplates.podSpec(workload).ifPresent(spec -> podSpec(spec, found));
    return Collections.unmodifiableSortedSet(new TreeSet<>(found.byKey.values()));
  }

  private static void podSpec(ObjectNode spec, Found found) {
    String account = spec.path("serviceAccountName").asText("");
    if (account.isEmpty()) {
      account = spec.path("serviceAccount").asText(""); // deprecated alias, still accepted
    }
    if (!account.equals("default")) {
      found.add(Dependency.SERVICE_ACCOUNT, account, false);
    }
    for (JsonNode s : spec.path("imagePullSecrets")) {
      found.add(Dependency.SECRET, s.path("name").asText(""), false);
    }
    for (JsonNode v : spec.path("volumes")) {
      found.ref(Dependency.CONFIG_MAP, v.path("configMap"), "name");
      found.ref(Dependency.SECRET, v.path("secret"), "secretName");
      for (JsonNode source : v.path("projected").path("sources")) {
        found.ref(Dependency.CONFIG_MAP, source.path("configMap"), "name");
        found.ref(Dependency.SECRET, source.path("secret"), "name");
      }
      found.add(
          Dependency.PVC, v.path("persistentVolumeClaim").path("claimName").asText(""), false);
    }
    for (ObjectNode c : PodTemplates.containers(spec, true)) {
      for (JsonNode e : c.path("env")) {
        found.ref(Dependency.CONFIG_MAP, e.path("valueFrom").path("configMapKeyRef"), "name");
        found.ref(Dependency.SECRET, e.path("valueFrom").path("secretKeyRef"), "name");
      }
      for (JsonNode e : c.path("envFrom")) {
        found.ref(Dependency.CONFIG_MAP, e.path("configMapRef"), "name");
        found.ref(Dependency.SECRET, e.path("secretRef"), "name");
      }
    }
  }

  private static final class Found {
    final Map<String, Dependency> byKey = new TreeMap<>();

    /** A reference object with a name field and an optional {@code optional} flag. */
    void ref(String kind, JsonNode ref, String nameField) {
      add(kind, ref.path(nameField).asText(""), ref.path("optional").asBoolean(false));
    }

    void add(String kind, String name, boolean optional) {
      if (name.isEmpty()) {
        return;
      }
      byKey.merge(
          kind + "/" + name,
          new Dependency(kind, name, optional),
          (a, b) -> new Dependency(kind, name, a.optional() && b.optional()));
    }
  }
}
