package dev.meridian.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.balancing.BackendPool;
import dev.meridian.gateway.balancing.LoadBalancers;
import dev.meridian.gateway.health.EndpointState;
import dev.meridian.gateway.health.EndpointStates;
import dev.meridian.gateway.health.OutlierSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a route's {@code backendRefs} into {@link BackendPool}s: a {@code Service}'s endpoints come
 * from the route's {@code status.backends} (matched by kind, name and port, restricted to the
 * backendRef's {@code clusters}, ready ones only), a {@code Static} one's from the spec.
 */
final class BackendCompiler {

  private final String namespace;
  private final JsonNode status;
  private final String policy;
  private final OutlierSettings outlier;
  private final EndpointStates states;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final Map<String, List<EndpointState>> declarations = new LinkedHashMap<>();

  BackendCompiler(
      String namespace,
      JsonNode status,
      String policy,
      OutlierSettings outlier,
      EndpointStates states) {
    this.namespace = namespace;
    this.status = status;
    this.policy = policy;
    this.outlier = outlier;
    this.states = states;
    LoadBalancers.create(policy); // fails the route now if the policy is unknown
  }

  /**
   * Declares the route's backends to the endpoint states (groups for {@code maxEjectionPercent},
   * outlier settings): only once the whole route compiled, so that a skipped route changes nothing.
   */
  void commit() {
    declarations.forEach((key, members) -> states.backend(key, members, outlier));
  }

  /** Every endpoint of the route's pools so far, once each. */
  List<Endpoint> endpoints() {
    return List.copyOf(endpoints.values());
  }

  BackendPool pool(JsonNode ref) {
    String kind = Fields.text(ref, "kind", "Service");
    String name = Fields.required(ref, "name");
    int weight = Fields.integer(ref, "weight", 1);
    if (weight < 0) {
      throw new IllegalArgumentException("backendRef " + name + ": negative weight");
    }
    List<Endpoint> found =
        switch (kind) {
          case "Service" -> serviceEndpoints(ref, name);
          case "Static" -> staticEndpoints(ref);
          default -> throw new IllegalArgumentException("unknown backendRef kind: " + kind);
        };
    int port = Fields.integer(ref, "port", 0);
    String label = kind + "/" + name + (port > 0 ? ":" + port : "");
    List<EndpointState> tracked = new ArrayList<>(found.size());
    Set<String> seen = new HashSet<>();
    for (Endpoint e : found) {
      if (seen.add(e.id())) {
        endpoints.putIfAbsent(e.id(), e);
        tracked.add(states.track(e));
      }
    }
    declarations.put(namespace + "/" + label, tracked);
    return new BackendPool(label, weight, tracked, LoadBalancers.create(policy));
  }

  private List<Endpoint> serviceEndpoints(JsonNode ref, String name) {
    int port = Fields.integer(ref, "port", 0);
    if (port < 1) {
      throw new IllegalArgumentException("backendRef " + name + ": port required");
    }
    List<String> clusters = Fields.strings(ref, "clusters");
    List<Endpoint> out = new ArrayList<>();
    for (JsonNode b : Fields.list(status, "backends")) {
      if (!"Service".equals(Fields.text(b, "kind", "Service"))
          || !name.equals(Fields.text(b, "name", null))
          || Fields.integer(b, "port", 0) != port) {
        continue;
      }
      for (JsonNode e : Fields.list(b, "endpoints")) {
        String cluster = Fields.required(e, "cluster");
        if (!e.path("ready").asBoolean(false)
            || (!clusters.isEmpty() && !clusters.contains(cluster))) {
          continue;
        }
        out.add(endpoint(e, cluster));
      }
    }
    return out;
  }

  private List<Endpoint> staticEndpoints(JsonNode ref) {
    List<Endpoint> out = new ArrayList<>();
    for (JsonNode e : Fields.list(ref, "endpoints")) {
      out.add(endpoint(e, Fields.text(e, "cluster", "static")));
    }
    return out;
  }

  /**
   * Cluster names, locations and addresses repeat across thousands of endpoints: each is kept once
   * ({@link String#intern}), so that a large table holds one copy, not one per endpoint.
   */
  private static Endpoint endpoint(JsonNode e, String cluster) {
    String address = Fields.required(e, "address").intern();
    int port = Fields.integer(e, "port", 0);
    return new Endpoint(
        Endpoint.idOf(cluster, address, port),
        cluster.intern(),
        Fields.text(e, "region", "").intern(),
        Fields.text(e, "zone", "").intern(),
        Fields.text(e, "country", "").intern(),
        address,
        port,
        e.path("tls").asBoolean(false),
        Fields.integer(e, "weight", 1));
  }
}
