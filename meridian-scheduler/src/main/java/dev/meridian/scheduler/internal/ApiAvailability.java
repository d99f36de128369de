package dev.meridian.scheduler.internal;

import java.util.List;
import java.util.Optional;

/**
 * Whether a member can serve a template's {@code apiVersion}: a built-in table of Kubernetes APIs
 * that were removed in, or only introduced by, some version, plus the member's discovery when it is
 * known. Discovery is authoritative for the group/version; the table adds kind-level knowledge
 * (extensions/v1beta1 lost Deployment in 1.16 but kept Ingress until 1.22).
 */
public final class ApiAvailability {

  /**
   * One row: {@code apiVersion} (and {@code kind}, or {@code *} for every kind of it) is served
   * from {@code since} (null: since before 1.16) until just before {@code removedIn} (null: still
   * served).
   */
  public record Entry(String apiVersion, String kind, String since, String removedIn) {
    boolean covers(String apiVersion, String kind) {
      return this.apiVersion.equals(apiVersion)
          && (this.kind.equals("*") || this.kind.equals(kind));
    }
  }

  /** Removed APIs (the Kubernetes deprecation guide) and APIs introduced later than 1.16. */
  public static final List<Entry> TABLE =
      List.of(
          // removed in 1.16
          new Entry("extensions/v1beta1", "Deployment", null, "1.16"),
          new Entry("extensions/v1beta1", "DaemonSet", null, "1.16"),
          new Entry("extensions/v1beta1", "ReplicaSet", null, "1.16"),
          new Entry("extensions/v1beta1", "NetworkPolicy", null, "1.16"),
          new Entry("extensions/v1beta1", "PodSecurityPolicy", null, "1.16"),
          new Entry("apps/v1beta1", "*", null, "1.16"),
          new Entry("apps/v1beta2", "*", null, "1.16"),
          // removed in 1.22
          new Entry("extensions/v1beta1", "Ingress", null, "1.22"),
          new Entry("networking.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("admissionregistration.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("apiextensions.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("apiregistration.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("authentication.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("authorization.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("certificates.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("coordination.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("rbac.authorization.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("scheduling.k8s.io/v1beta1", "*", null, "1.22"),
          new Entry("storage.k8s.io/v1beta1", "CSIDriver", null, "1.22"),
          new Entry("storage.k8s.io/v1beta1", "CSINode", null, "1.22"),
          new Entry("storage.k8s.io/v1beta1", "StorageClass", null, "1.22"),
          new Entry("storage.k8s.io/v1beta1", "VolumeAttachment", null, "1.22"),
          // removed in 1.25
          new Entry("batch/v1beta1", "*", null, "1.25"),
          new Entry("discovery.k8s.io/v1beta1", "*", null, "1.25"),
          new Entry("events.k8s.io/v1beta1", "*", null, "1.25"),
          new Entry("autoscaling/v2beta1", "*", null, "1.25"),
          new Entry("policy/v1beta1", "*", null, "1.25"),
          new Entry("node.k8s.io/v1beta1", "*", null, "1.25"),
          // removed in 1.26, 1.27, 1.29, 1.32
          new Entry("autoscaling/v2beta2", "*", null, "1.26"),
          new Entry("flowcontrol.apiserver.k8s.io/v1beta1", "*", null, "1.26"),
          new Entry("storage.k8s.io/v1beta1", "CSIStorageCapacity", null, "1.27"),
          new Entry("flowcontrol.apiserver.k8s.io/v1beta2", "*", "1.23", "1.29"),
          new Entry("flowcontrol.apiserver.k8s.io/v1beta3", "*", "1.26", "1.32"),
          // introduced later than 1.16
          new Entry("networking.k8s.io/v1", "Ingress", "1.19", null),
          new Entry("networking.k8s.io/v1", "IngressClass", "1.19", null),
          new Entry("certificates.k8s.io/v1", "*", "1.19", null),
          new Entry("events.k8s.io/v1", "*", "1.19", null),
          new Entry("node.k8s.io/v1", "*", "1.20", null),
          new Entry("batch/v1", "CronJob", "1.21", null),
          new Entry("policy/v1", "PodDisruptionBudget", "1.21", null),
          new Entry("discovery.k8s.io/v1", "*", "1.21", null),
          new Entry("autoscaling/v2", "*", "1.23", null),
          new Entry("storage.k8s.io/v1", "CSIStorageCapacity", "1.24", null),
          new Entry("flowcontrol.apiserver.k8s.io/v1", "*", "1.29", null),
          new Entry("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "1.30", null),
          new Entry(
              "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "1.30", null));

  private ApiAvailability() {}

  /**
   * Why a cluster cannot serve {@code apiVersion}/{@code kind}, or empty when it can (or when
   * neither its version nor its discovery is known).
   *
   * @param clusterVersion as the cluster reports it; null when unknown
   * @param servedApis the group/versions of the cluster's discovery ({@code v1}, {@code apps/v1});
   *     null when unknown
   */
  public static Optional<String> unavailable(
      String apiVersion, String kind, String clusterVersion, List<String> servedApis) {
    KubeVersion version = KubeVersion.parse(clusterVersion);
    if (version != null) {
      for (Entry e : TABLE) {
        if (!e.covers(apiVersion, kind)) {
          continue;
        }
        KubeVersion removed = KubeVersion.parse(e.removedIn);
        if (removed != null && version.atLeast(removed.major(), removed.minor())) {
          return Optional.of(
              "api: "
                  + apiVersion
                  + " "
                  + kind
                  + " was removed in Kubernetes "
                  + e.removedIn
                  + "; cluster runs "
                  + clusterVersion);
        }
        KubeVersion since = KubeVersion.parse(e.since);
        if (since != null && !version.atLeast(since.major(), since.minor())) {
          return Optional.of(
              "api: "
                  + apiVersion
                  + " "
                  + kind
                  + " is served from Kubernetes "
                  + e.since
                  + "; cluster runs "
                  + clusterVersion);
        }
      }
    }
    if (servedApis != null && !servedApis.contains(apiVersion)) {
      return Optional.of("api: " + apiVersion + " is not served by the cluster (its discovery)");
    }
    return Optional.empty();
  }
}
