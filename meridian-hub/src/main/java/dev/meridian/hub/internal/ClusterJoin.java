package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.hub.Admission;
import dev.meridian.hub.ApiException;
import dev.meridian.hub.ResourceService;
import dev.meridian.members.MemberException;
import dev.meridian.members.ProbeResult;
import dev.meridian.members.kubernetes.KubernetesMember;
import dev.meridian.members.kubernetes.KubernetesMembers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Joins a cluster given by kubeconfig ({@code spec.connection.kubeconfig}, what {@code meridian
 * join} sends): the hub connects with it and probes the cluster first, so a kubeconfig that points
 * nowhere, has expired or wrong credentials, or names a missing context registers nothing. Then it
 * moves the credentials into the Secret {@code meridian-system/NAME-kubeconfig} (encrypted at rest)
 * and stores the Cluster with a reference to it, defaulting region and zone from the nodes'
 * topology labels.
 */
public final class ClusterJoin implements Admission {
  public static final String SECRET_NAMESPACE = "meridian-system";

  private final ResourceService service;
  private final KubernetesMembers members;

  public ClusterJoin(ResourceService service, KubernetesMembers members) {
    this.service = service;
    this.members = members;
  }

  public static String secretName(String cluster) {
    return cluster + "-kubeconfig";
  }

  @Override
  public ObjectNode admitCreate(
      ResourceType type, String namespace, ObjectNode obj, boolean dryRun) {
    JsonNode inline = obj.path("spec").path("connection").path("kubeconfig");
    if (!type.meridian() || !type.kind().equals("Cluster") || !inline.isObject()) {
      return obj;
    }
    String name = Meta.name(obj);
    if (obj.path("spec").path("connection").size() > 1) {
      throw ApiException.invalid(
          "Cluster",
          name,
          List.of(
              FieldError.invalid(
                  "spec.connection", "kubeconfig cannot be combined with another connection")));
    }
    if (service.get(type, "", name).isPresent()) {
      throw ApiException.alreadyExists(type.qualifiedPlural(), name);
    }
    String data = inline.path("data").asText("");
    String context = inline.path("context").asText("");
    String kubeconfig;
    try {
      kubeconfig = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(
          "Cluster",
          name,
          List.of(FieldError.invalid("spec.connection.kubeconfig.data", "must be base64")));
    }
    ProbeResult probe;
    String ctx = context.isEmpty() ? null : context;
    KubernetesMember member = null;
    try {
      member = members.connect(name, kubeconfig, ctx);
      probe = member.probe();
    } catch (MemberException e) {
      if (member != null) {
        member.close();
      }
      throw ApiException.badRequest("cannot join cluster " + name + ": " + e.getMessage());
    }
    if (probe.ready() && !dryRun) {
      // the fleet registry connects to the cluster next: it goes on with this connection
      members.handOver(member, kubeconfig, ctx);
    } else {
      member.close();
    }
    if (!probe.ready()) {
      throw ApiException.badRequest(
          "cannot join cluster "
              + name
              + ": its API server is not ready ("
              + probe.readiness()
              + ")");
    }
    ObjectNode spec = (ObjectNode) obj.get("spec");
    ObjectNode location =
        spec.has("location") && spec.get("location").isObject()
            ? (ObjectNode) spec.get("location")
            : spec.putObject("location");
    if (!location.hasNonNull("region") && probe.region() != null) {
      location.put("region", probe.region());
    }
    if (!location.hasNonNull("zone") && probe.zone() != null) {
      location.put("zone", probe.zone());
    }
    if (location.isEmpty()) {
      spec.remove("location");
    }
    ObjectNode ref =
        ResourceCodec.newObject().put("name", secretName(name)).put("namespace", SECRET_NAMESPACE);
    if (!context.isEmpty()) {
      ref.put("context", context);
    }
    spec.putObject("connection").set("kubeconfigSecret", ref);
    if (!dryRun) {
      storeSecret(name, kubeconfig, context);
    }
    return obj;
  }

  private void storeSecret(String cluster, String kubeconfig, String context) {
    ObjectNode secret = ResourceCodec.newObject();
    secret.put("apiVersion", "v1").put("kind", "Secret").put("type", "meridian.dev/kubeconfig");
    ObjectNode meta =
        secret
            .putObject("metadata")
            .put("name", secretName(cluster))
            .put("namespace", SECRET_NAMESPACE);
    meta.putObject("labels").put("fleet.meridian.dev/cluster", cluster);
    ObjectNode d = secret.putObject("data");
    d.put(
        "kubeconfig",
        Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
    if (!context.isEmpty()) {
      d.put(
          "context", Base64.getEncoder().encodeToString(context.getBytes(StandardCharsets.UTF_8)));
    }
    if (service.get(secretType(), SECRET_NAMESPACE, secretName(cluster)).isPresent()) {
      // left behind by an earlier cluster of this name: the new credentials replace it
      service.update(secretType(), SECRET_NAMESPACE, secretName(cluster), secret, false);
    } else {
      service.create(secretType(), SECRET_NAMESPACE, secret, false);
    }
  }

  private ResourceType secretType() {
    return service.types().byKind("v1", "Secret").orElseThrow();
  }
}
