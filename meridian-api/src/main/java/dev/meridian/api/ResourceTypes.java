package dev.meridian.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds a hub serves: Meridian's own, the common Kubernetes ones, and those added at run time
 * (from CustomResourceDefinitions). Thread-safe.
 */
public final class ResourceTypes {
  public static final String FLEET = "fleet.meridian.dev";
  public static final String POLICY = "policy.meridian.dev";
  public static final String WORK = "work.meridian.dev";
  public static final String NETWORK = "network.meridian.dev";
  public static final String GITOPS = "gitops.meridian.dev";
  public static final String SECURITY = "security.meridian.dev";
  public static final String MERIDIAN_VERSION = "v1alpha1";

  public static final ResourceType NAMESPACE =
      core("Namespace", "namespaces", List.of("ns"), false);
  public static final ResourceType EVENT = core("Event", "events", List.of("ev"), true);
  public static final ResourceType CRD =
      new ResourceType(
          "apiextensions.k8s.io",
          "v1",
          "CustomResourceDefinition",
          "customresourcedefinitions",
          "customresourcedefinition",
          List.of("crd", "crds"),
          false,
          false);

  private final Map<String, ResourceType> byKind = new ConcurrentHashMap<>();
  private final Map<String, ResourceType> byPath = new ConcurrentHashMap<>();

  private ResourceTypes() {}

  /** Meridian's kinds plus the built-in Kubernetes kinds users most often propagate. */
  public static ResourceTypes standard() {
    ResourceTypes types = new ResourceTypes();
    // Meridian
    types.register(meridian(FLEET, "Cluster", "clusters", List.of("mc"), false));
    types.register(meridian(FLEET, "ClusterSet", "clustersets", List.of("cset"), true));
    types.register(
        meridian(POLICY, "PropagationPolicy", "propagationpolicies", List.of("pp"), true));
    types.register(
        meridian(
            POLICY,
            "ClusterPropagationPolicy",
            "clusterpropagationpolicies",
            List.of("cpp"),
            false));
    types.register(meridian(POLICY, "OverridePolicy", "overridepolicies", List.of("op"), true));
    types.register(
        meridian(
            POLICY, "ResidencyPolicy", "residencypolicies", List.of("rp", "residency"), false));
    types.register(meridian(WORK, "ResourceBinding", "resourcebindings", List.of("rb"), true));
    types.register(meridian(WORK, "Work", "works", List.of(), true));
    types.register(meridian(NETWORK, "GlobalRoute", "globalroutes", List.of("gr"), true));
    types.register(meridian(GITOPS, "GitSource", "gitsources", List.of("gs"), true));
    types.register(meridian(GITOPS, "Rollout", "rollouts", List.of("ro"), true));
    types.register(meridian(SECURITY, "Role", "roles", List.of(), true));
    types.register(meridian(SECURITY, "RoleBinding", "rolebindings", List.of(), true));
    types.register(meridian(SECURITY, "Tenant", "tenants", List.of(), false));
    // Karmada's policies, as written for Karmada: each is kept with a Meridian twin
    // (dev.meridian.api.karmada.KarmadaPolicies); no short names, which are Meridian's
    String karmada = dev.meridian.api.karmada.KarmadaPolicies.GROUP;
    String karmadaVersion = dev.meridian.api.karmada.KarmadaPolicies.VERSION;
    types.register(
        k8s(karmada, karmadaVersion, "PropagationPolicy", "propagationpolicies", List.of(), true));
    types.register(
        k8s(
            karmada,
            karmadaVersion,
            "ClusterPropagationPolicy",
            "clusterpropagationpolicies",
            List.of(),
            false));
    types.register(
        k8s(karmada, karmadaVersion, "OverridePolicy", "overridepolicies", List.of(), true));
    // Kubernetes core/v1
    types.register(NAMESPACE);
    types.register(EVENT);
    types.register(core("ConfigMap", "configmaps", List.of("cm"), true));
    types.register(core("Secret", "secrets", List.of(), true));
    types.register(core("Service", "services", List.of("svc"), true));
    types.register(core("ServiceAccount", "serviceaccounts", List.of("sa"), true));
    types.register(core("PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), true));
    types.register(core("PersistentVolume", "persistentvolumes", List.of("pv"), false));
    types.register(core("Pod", "pods", List.of("po"), true));
    // (kubectl apply --prune looks for it among its default kinds)
    types.register(core("ReplicationController", "replicationcontrollers", List.of("rc"), true));
    types.register(core("Endpoints", "endpoints", List.of("ep"), true));
    types.register(core("LimitRange", "limitranges", List.of("limits"), true));
    types.register(core("ResourceQuota", "resourcequotas", List.of("quota"), true));
    // Kubernetes groups
    types.register(k8s("apps", "v1", "Deployment", "deployments", List.of("deploy"), true));
    types.register(k8s("apps", "v1", "StatefulSet", "statefulsets", List.of("sts"), true));
    types.register(k8s("apps", "v1", "DaemonSet", "daemonsets", List.of("ds"), true));
    types.register(k8s("apps", "v1", "ReplicaSet", "replicasets", List.of("rs"), true));
    types.register(k8s("batch", "v1", "Job", "jobs", List.of(), true));
    types.register(k8s("batch", "v1", "CronJob", "cronjobs", List.of("cj"), true));
    types.register(
        k8s(
            "autoscaling",
            "v2",
            "HorizontalPodAutoscaler",
            "horizontalpodautoscalers",
            List.of("hpa"),
            true));
    types.register(
        k8s("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", List.of("pdb"), true));
    types.register(
        k8s("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", List.of(), true));
    types.register(k8s("networking.k8s.io", "v1", "Ingress", "ingresses", List.of("ing"), true));
    types.register(
        k8s(
            "networking.k8s.io",
            "v1",
            "NetworkPolicy",
            "networkpolicies",
            List.of("netpol"),
            true));
    types.register(k8s("rbac.authorization.k8s.io", "v1", "Role", "roles", List.of(), true));
    types.register(
        k8s("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", List.of(), true));
    types.register(
        k8s("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", List.of(), false));
    types.register(
        k8s(
            "rbac.authorization.k8s.io",
            "v1",
            "ClusterRoleBinding",
            "clusterrolebindings",
            List.of(),
            false));
    types.register(
        k8s("storage.k8s.io", "v1", "StorageClass", "storageclasses", List.of("sc"), false));
    types.register(CRD);
    types.register(
        k8s(
            "multicluster.x-k8s.io",
            "v1alpha1",
            "ServiceExport",
            "serviceexports",
            List.of("svcex"),
            true));
    types.register(
        k8s(
            "multicluster.x-k8s.io",
            "v1alpha1",
            "ServiceImport",
            "serviceimports",
            List.of("svcim"),
            true));
    return types;
  }

  public void register(ResourceType type) {
    byKind.put(kindKey(type.apiVersion(), type.kind()), type);
    byPath.put(pathKey(type.group(), type.version(), type.plural()), type);
  }

  public void unregister(ResourceType type) {
    byKind.remove(kindKey(type.apiVersion(), type.kind()), type);
    byPath.remove(pathKey(type.group(), type.version(), type.plural()), type);
  }

  public Optional<ResourceType> byKind(String apiVersion, String kind) {
    return Optional.ofNullable(byKind.get(kindKey(apiVersion, kind)));
  }

  public Optional<ResourceType> byPath(String group, String version, String plural) {
    return Optional.ofNullable(byPath.get(pathKey(group, version, plural)));
  }

  /**
   * Resolves what a user typed ({@code deploy}, {@code Deployment}, {@code deployments.apps},
   * {@code cluster}); among equal matches Meridian's kinds win, as kubectl prefers its own groups.
   */
  public Optional<ResourceType> resolve(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    ResourceType best = null;
    for (ResourceType t : all()) {
      boolean match =
          n.equals(t.plural())
              || n.equals(t.singular())
              || n.equals(t.kind().toLowerCase(Locale.ROOT))
              || t.shortNames().contains(n)
              || n.equals(t.qualifiedPlural())
              || n.equals(t.singular() + "." + t.group());
      if (match && (best == null || (t.meridian() && !best.meridian()))) {
        best = t;
      }
    }
    return Optional.ofNullable(best);
  }

  public Collection<ResourceType> all() {
    List<ResourceType> list = new ArrayList<>(byPath.values());
    list.sort(
        java.util.Comparator.comparing(ResourceType::group)
            .thenComparing(ResourceType::version)
            .thenComparing(ResourceType::plural));
    return list;
  }

  private static String kindKey(String apiVersion, String kind) {
    return apiVersion + "|" + kind;
  }

  private static String pathKey(String group, String version, String plural) {
    return group + "|" + version + "|" + plural;
  }

  private static ResourceType meridian(
      String group, String kind, String plural, List<String> shortNames, boolean namespaced) {
    return new ResourceType(
        group,
        MERIDIAN_VERSION,
        kind,
        plural,
        kind.toLowerCase(Locale.ROOT),
        shortNames,
        namespaced,
        true);
  }

  private static ResourceType core(
      String kind, String plural, List<String> shortNames, boolean namespaced) {
    return k8s("", "v1", kind, plural, shortNames, namespaced);
  }

  private static ResourceType k8s(
      String group,
      String version,
      String kind,
      String plural,
      List<String> shortNames,
      boolean namespaced) {
    return new ResourceType(
        group, version, kind, plural, kind.toLowerCase(Locale.ROOT), shortNames, namespaced, false);
  }
}
