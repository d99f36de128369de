package dev.meridian.members.kubernetes;

import dev.meridian.members.MemberException;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps (apiVersion, kind) to the member's REST resource, from the member's discovery documents. A
 * group version is fetched on first use and again when a kind is missing from it (a CRD may have
 * been installed since); kinds found stay cached for the member's life.
 */
final class ApiDiscovery {
  private final String cluster;
  private final KubernetesClient client;
  private final Map<String, Map<String, ResourceDefinitionContext>> byApiVersion =
      new ConcurrentHashMap<>();

  ApiDiscovery(String cluster, KubernetesClient client) {
    this.cluster = cluster;
    this.client = client;
  }

  /**
   * @throws MemberException REJECTED 404 if the member does not serve the kind, or UNREACHABLE
   */
  ResourceDefinitionContext resolve(String apiVersion, String kind) {
    return find(apiVersion, kind)
        .orElseThrow(
            () ->
                MemberException.rejected(
                    cluster,
                    404,
                    "no matches for kind \"" + kind + "\" in version \"" + apiVersion + "\""));
  }

  /** Like {@link #resolve}, but empty when the member does not serve the kind. */
  Optional<ResourceDefinitionContext> find(String apiVersion, String kind) {
    Map<String, ResourceDefinitionContext> kinds = byApiVersion.get(apiVersion);
    if (kinds != null && kinds.containsKey(kind)) {
      return Optional.of(kinds.get(kind));
    }
    kinds = fetch(apiVersion);
    if (!kinds.isEmpty()) {
      byApiVersion.put(apiVersion, kinds);
    }
    return Optional.ofNullable(kinds.get(kind));
  }

  /** Forgets a group version, after the member said it no longer serves something in it. */
  void forget(String apiVersion) {
    byApiVersion.remove(apiVersion);
  }

  private Map<String, ResourceDefinitionContext> fetch(String apiVersion) {
    APIResourceList list;
    try {
      list = client.getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Map.of();
      }
      throw KubernetesFailures.translate(cluster, client.getMasterUrl().toString(), e);
    }
    if (list == null || list.getResources() == null) {
      return Map.of();
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    Map<String, ResourceDefinitionContext> kinds = new HashMap<>();
    for (APIResource r : list.getResources()) {
      if (r.getName() == null || r.getName().contains("/")) {
        continue; // a subresource such as deployments/status
      }
      kinds.put(
          r.getKind(),
          new ResourceDefinitionContext.Builder()
              .withGroup(group)
              .withVersion(version)
              .withKind(r.getKind())
              .withPlural(r.getName())
              .withNamespaced(Boolean.TRUE.equals(r.getNamespaced()))
              .build());
    }
    return kinds;
  }
}
