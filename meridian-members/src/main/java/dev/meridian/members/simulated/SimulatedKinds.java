package dev.meridian.members.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds a simulated cluster serves: the built-in Kubernetes kinds Meridian knows (one table
 * shared by every simulated cluster) plus those its applied CustomResourceDefinitions add (kept per
 * cluster, allocated only when a CRD arrives).
 */
final class SimulatedKinds {
  private static final Map<String, ResourceType> BUILT_IN = builtIn();

  private Map<String, List<ResourceType>> fromCrds; // CRD name -> kinds it defines

  private static Map<String, ResourceType> builtIn() {
    Map<String, ResourceType> m = new HashMap<>();
    for (ResourceType t : ResourceTypes.standard().all()) {
      // (Karmada's policies are the hub's, not kinds a cluster serves)
      if (!t.meridian() && !t.group().equals(dev.meridian.api.karmada.KarmadaPolicies.GROUP)) {
        m.put(key(t.apiVersion(), t.kind()), t);
      }
    }
    return Map.copyOf(m);
  }

  private static String key(String apiVersion, String kind) {
    return apiVersion + "|" + kind;
  }

  Optional<ResourceType> find(String apiVersion, String kind) {
    ResourceType t = BUILT_IN.get(key(apiVersion, kind));
    if (t != null || fromCrds == null) {
      return Optional.ofNullable(t);
    }
    for (List<ResourceType> kinds : fromCrds.values()) {
      for (ResourceType k : kinds) {
        if (k.apiVersion().equals(apiVersion) && k.kind().equals(kind)) {
          return Optional.of(k);
        }
      }
    }
    return Optional.empty();
  }

  /** Serves the kinds a CustomResourceDefinition describes (one per served version). */
  void define(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText();
    String kind = spec.path("names").path("kind").asText();
    String plural = spec.path("names").path("plural").asText();
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
    List<ResourceType> kinds = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (v.path("served").asBoolean(true)) {
        kinds.add(
            new ResourceType(
                group,
                v.path("name").asText(),
                kind,
                plural,
                kind.toLowerCase(Locale.ROOT),
                List.of(),
                namespaced,
                false));
      }
    }
    if (fromCrds == null) {
      fromCrds = new HashMap<>(4);
    }
    fromCrds.put(crd.path("metadata").path("name").asText(), List.copyOf(kinds));
  }

  /** Stops serving a CRD's kinds; returns them. */
  List<ResourceType> undefine(String crdName) {
    if (fromCrds == null) {
      return List.of();
    }
    List<ResourceType> gone = fromCrds.remove(crdName);
    return gone == null ? List.of() : gone;
  }
}
