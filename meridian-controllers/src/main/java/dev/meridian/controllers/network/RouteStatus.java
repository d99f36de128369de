package dev.meridian.controllers.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.policy.ResidencyPolicy;
import dev.meridian.scheduler.ClusterView;
import dev.meridian.scheduler.ResidencyGuardrail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A GlobalRoute's status from what the fleet holds: each {@code kind: Service} backend (of a rule
 * or a RequestMirror) with the ready endpoints of its Service in every member cluster, each
 * residency rule with the clusters its ResidencyPolicy allows, and the {@code Accepted} and {@code
 * ResolvedRefs} conditions. No I/O: the caller hands in the fleet and the members' slices.
 */
final class RouteStatus {
  private RouteStatus() {}

  /** A member cluster as the route sees it. */
  record Member(ClusterView view, boolean ready, boolean synced) {
    String name() {
      return view.name();
    }
  }

  /** What the members hold: the Service's ports and its EndpointSlices, per cluster. */
  interface Endpoints {
    Optional<JsonNode> servicePorts(String cluster, String namespace, String name);

    List<ObjectNode> slices(String cluster, String namespace, String service);
  }

  /** A Service backend: one entry per name and port however many refs name it. */
  private record Backend(String name, int port, Set<String> clusters) {}

  /**
   * @param fleet the fleet's clusters, in name order
   * @param policies the ResidencyPolicies by name
   * @param now stamps a condition whose status changed
   */
  static ObjectNode compute(
      ObjectNode route,
      List<Member> fleet,
      Endpoints endpoints,
      Map<String, ResidencyPolicy> policies,
      Instant now) {
    String ns = Meta.namespace(route);
    List<String> backendProblems = new ArrayList<>();
    List<String> residencyProblems = new ArrayList<>();
    Set<String> fleetNames = new LinkedHashSet<>();
    fleet.forEach(m -> fleetNames.add(m.name()));
    ObjectNode status = ResourceCodec.newObject();
    status.put("observedGeneration", route.path("metadata").path("generation").asLong());
    ArrayNode backends = status.putArray("backends");
    for (Backend b : serviceBackends(route)) {
      for (String c : b.clusters()) {
        if (!fleetNames.contains(c)) {
          backendProblems.add(
              "ClusterNotFound: backend Service "
                  + b.name()
                  + " names cluster "
                  + c
                  + ", which is not in the fleet");
        }
      }
      ObjectNode entry =
          backends.addObject().put("kind", "Service").put("name", b.name()).put("port", b.port());
      ArrayNode eps = entry.putArray("endpoints");
      boolean found = false;
      boolean allSynced = true;
      List<String> portless = new ArrayList<>();
      for (Member m : fleet) {
        if (!b.clusters().isEmpty() && !b.clusters().contains(m.name())) {
          continue;
        }
        allSynced &= m.synced();
        if (!m.synced()) {
          // its watch has not listed yet (a hub that just started): what the status said stands
          found |= keepPrevious(route, b, m, eps);
          continue;
        }
        Optional<JsonNode> ports = endpoints.servicePorts(m.name(), ns, b.name());
        if (ports.isEmpty()) {
          continue;
        }
        found = true;
        JsonNode servicePort = null;
        for (JsonNode p : ports.get()) {
          if (p.path("port").asInt() == b.port()) {
            servicePort = p;
          }
        }
        if (servicePort == null) {
          portless.add(m.name());
          continue;
        }
        String portName = servicePort.path("name").asText("");
        for (ObjectNode slice : endpoints.slices(m.name(), ns, b.name())) {
          int port = slicePort(slice, portName);
          if (port <= 0) {
            continue;
          }
          for (JsonNode ep : slice.path("endpoints")) {
            if (!ep.path("conditions").path("ready").asBoolean(true)) {
              continue;
            }
            for (JsonNode address : ep.path("addresses")) {
              eps.addObject()
                  .put("cluster", m.name())
                  .put("address", address.asText())
                  .put("port", port)
                  .put("ready", true)
                  .put("region", orEmpty(m.view().location().region()))
                  .put("zone", orEmpty(m.view().location().zone()))
                  .put("country", orEmpty(m.view().location().country()))
                  .put("clusterReady", m.ready());
            }
          }
        }
      }
      sortEndpoints(eps);
      if (!found && allSynced) {
        backendProblems.add(
            "BackendNotFound: Service "
                + ns
                + "/"
                + b.name()
                + " is in no member cluster"
                + (b.clusters().isEmpty() ? "" : " of " + b.clusters()));
      }
      if (!portless.isEmpty()) {
        backendProblems.add(
            "BackendNotFound: Service "
                + ns
                + "/"
                + b.name()
                + " has no port "
                + b.port()
                + " in "
                + String.join(", ", portless));
      }
    }
    JsonNode rules = route.path("spec").path("residency").path("policies");
    if (!rules.isEmpty()) {
      ArrayNode residency = status.putArray("residency");
      for (JsonNode rule : rules) {
        String policyName = rule.path("residencyPolicy").asText();
        ObjectNode out =
            residency
                .addObject()
                .put("value", rule.path("value").asText())
                .put("residencyPolicy", policyName);
        ArrayNode allowed = out.putArray("allowedClusters");
        ResidencyPolicy policy = policies.get(policyName);
        if (policy == null || policy.spec() == null) {
          residencyProblems.add(
              "ResidencyPolicyNotFound: ResidencyPolicy " + policyName + " does not exist");
          continue;
        }
        ResidencyGuardrail g = new ResidencyGuardrail(List.of(policy));
        boolean deny = policy.spec().enforcementOrDefault() == ResidencyPolicy.Enforcement.Deny;
        for (Member m : fleet) {
          if ((deny ? g.violations(m.view()) : g.auditFindings(m.view())).isEmpty()) {
            allowed.add(m.name());
          }
        }
      }
    }
    ArrayNode conditions = status.putArray("conditions");
    conditions
        .addObject()
        .put("type", "Accepted")
        .put("status", "True")
        .put("reason", "Accepted")
        .put("message", "the route is valid");
    List<String> problems = new ArrayList<>(backendProblems);
    problems.addAll(residencyProblems);
    String reason =
        problems.isEmpty()
            ? "ResolvedRefs"
            : backendProblems.isEmpty() ? "ResidencyPolicyNotFound" : "BackendNotFound";
    conditions
        .addObject()
        .put("type", "ResolvedRefs")
        .put("status", problems.isEmpty() ? "True" : "False")
        .put("reason", reason)
        .put(
            "message",
            problems.isEmpty()
                ? "every backend and ResidencyPolicy the route names exists"
                : String.join("; ", problems));
    Conditions.stampTransitions(conditions, route, now);
    return status;
  }

  /** Copies the endpoints the route's status had for {@code m} on that backend. */
  private static boolean keepPrevious(ObjectNode route, Backend b, Member m, ArrayNode eps) {
    boolean any = false;
    for (JsonNode before : route.path("status").path("backends")) {
      if (!before.path("name").asText().equals(b.name())
          || before.path("port").asInt() != b.port()) {
        continue;
      }
      for (JsonNode ep : before.path("endpoints")) {
        if (ep.path("cluster").asText().equals(m.name()) && ep.isObject()) {
          ObjectNode copy = ((ObjectNode) ep).deepCopy();
          copy.put("clusterReady", m.ready());
          eps.add(copy);
          any = true;
        }
      }
    }
    return any;
  }

  /**
   * The port of a slice that serves the Service port named {@code portName}: the slice port of that
   * name, or a slice's only port when it has no name; 0 if none.
   */
  static int slicePort(JsonNode slice, String portName) {
    JsonNode ports = slice.path("ports");
    for (JsonNode p : ports) {
      if (p.path("name").asText("").equals(portName) && p.path("port").asInt() > 0) {
        return p.path("port").asInt();
      }
    }
    if (ports.size() == 1 && ports.get(0).path("name").asText("").isEmpty()) {
      return ports.get(0).path("port").asInt();
    }
    return 0;
  }

  /** The route's Service backends (rules and mirrors), by name then port. */
  private static List<Backend> serviceBackends(ObjectNode route) {
    Map<String, Backend> out = new TreeMap<>();
    for (JsonNode rule : route.path("spec").path("rules")) {
      for (JsonNode ref : rule.path("backendRefs")) {
        add(out, ref);
      }
      for (JsonNode f : rule.path("filters")) {
        if (f.path("type").asText().equals("RequestMirror")) {
          add(out, f.path("requestMirror").path("backendRef"));
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * Adds a ref; refs of the same Service and port share one entry, with the union of their clusters
   * (none: every cluster). The gateway restricts each ref to its own {@code clusters}.
   */
  private static void add(Map<String, Backend> out, JsonNode ref) {
    if (!ref.path("kind").asText("Service").equals("Service")) {
      return;
    }
    String name = ref.path("name").asText();
    int port = ref.path("port").asInt();
    Set<String> clusters = new java.util.TreeSet<>();
    ref.path("clusters").forEach(c -> clusters.add(c.asText()));
    String key = String.format("%s|%05d", name, port);
    Backend known = out.get(key);
    if (known == null) {
      out.put(key, new Backend(name, port, clusters));
    } else if (known.clusters().isEmpty() || clusters.isEmpty()) {
      out.put(key, new Backend(name, port, Set.of()));
    } else {
      Set<String> union = new java.util.TreeSet<>(known.clusters());
      union.addAll(clusters);
      out.put(key, new Backend(name, port, union));
    }
  }

  private static void sortEndpoints(ArrayNode eps) {
    List<JsonNode> sorted = new ArrayList<>();
    eps.forEach(sorted::add);
    sorted.sort(
        Comparator.<JsonNode, String>comparing(e -> e.path("cluster").asText())
            .thenComparing(e -> e.path("address").asText())
            .thenComparingInt(e -> e.path("port").asInt()));
    eps.removeAll();
    sorted.forEach(eps::add);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
