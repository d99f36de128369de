package dev.meridian.controllers.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.ResidencyPolicy;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.fleet.MemberRegistry;
import dev.meridian.controllers.runtime.ControllerRunner;
import dev.meridian.controllers.runtime.Reconciler;
import dev.meridian.members.MemberCluster;
import dev.meridian.scheduler.ClusterView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves every {@code GlobalRoute}'s backends into its status, which is all the gateways read:
 * for each {@code kind: Service} backend, the ready addresses of the Service's EndpointSlices in
 * every member cluster (restricted by {@code clusters}) with the cluster's location and readiness;
 * for each residency rule, the clusters its ResidencyPolicy allows; and the {@code Accepted} and
 * {@code ResolvedRefs} conditions. The status is written only when it changed.
 *
 * <p>Event-driven: a member's EndpointSlice or Service change queues the routes that name that
 * Service (one watch per member and kind, {@link MemberEndpoints}, running only while some route
 * exists); a Cluster's location, readiness or connection change, and any ResidencyPolicy change,
 * queue every route; a route's own change queues it. Each route is looked at again every resync
 * period as a safety net.
 */
public final class GlobalRouteController implements Reconciler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalRouteController.class);

  /** Routes resolved in parallel; a pass is local reads only, so a few suffice. */
  private static final int CONCURRENCY = 4;

  /** How soon to look again while a member's initial lists have not arrived. */
  private static final Duration UNSYNCED_RETRY = Duration.ofSeconds(1);

  private final ObjectClient objects;
  private final ResourceType routes;
  private final ResourceType clusters;
  private final ResourceType residencyPolicies;
  private final MemberRegistry members;
  private final Duration resync;
  private final Clock clock;
  private final MemberEndpoints endpoints;
  private final ControllerRunner runner;
  // route key (NAMESPACE/NAME) -> the Services it names (NAMESPACE/SERVICE)
  private final Map<String, Set<String>> routeServices = new ConcurrentHashMap<>();
  private final Map<String, Long> routeGenerations = new ConcurrentHashMap<>();
  // cluster name -> what routes read of it, to react only to changes of that
  private final Map<String, String> clusterFacts = new ConcurrentHashMap<>();
  private final List<AutoCloseable> watches = new ArrayList<>();

  public GlobalRouteController(
      ObjectClient objects,
      ResourceTypes types,
      MemberRegistry members,
      Duration resync,
      ExecutorService workers,
      ScheduledExecutorService timers,
      Clock clock) {
    this.objects = objects;
    this.routes = types.byKind(ResourceTypes.NETWORK + "/v1alpha1", "GlobalRoute").orElseThrow();
    this.clusters = types.byKind(Cluster.API_VERSION, Cluster.KIND).orElseThrow();
    this.residencyPolicies =
        types.byKind(ResidencyPolicy.API_VERSION, ResidencyPolicy.KIND).orElseThrow();
    this.members = members;
    this.resync = resync;
    this.clock = clock;
    this.endpoints = new MemberEndpoints(this::endpointsChanged);
    this.runner = new ControllerRunner("global-routes", this, workers, timers, CONCURRENCY);
    watches.add(objects.watch(routes, this::routeChanged));
    watches.add(objects.watch(clusters, this::clusterChanged));
    watches.add(objects.watchMetadata(residencyPolicies, (type, p) -> enqueueAll()));
  }

  /** The key of a route. */
  static String key(JsonNode route) {
    return Meta.namespace(route) + "/" + Meta.name(route);
  }

  private void routeChanged(ObjectClient.ObjectEventType type, ObjectNode route) {
    String key = key(route);
    if (type == ObjectClient.ObjectEventType.DELETED) {
      routeServices.remove(key);
      routeGenerations.remove(key);
      if (routeServices.isEmpty()) {
        endpoints.stopAll(); // no route left: no member needs watching
      }
      return;
    }
    routeServices.put(key, services(route));
    long generation = route.path("metadata").path("generation").asLong();
    Long seen = routeGenerations.put(key, generation);
    // our own status writes come back as events: a pass only for new or re-specified routes
    if (seen == null || seen != generation || type == ObjectClient.ObjectEventType.ADDED) {
      runner.enqueue(key);
    }
  }

  private void clusterChanged(ObjectClient.ObjectEventType type, ObjectNode cluster) {
    String name = Meta.name(cluster);
    if (type == ObjectClient.ObjectEventType.DELETED) {
      clusterFacts.remove(name);
      endpoints.forget(name);
      enqueueAll();
      return;
    }
    // the health controller writes every probe: only location, readiness and connection matter
    String facts =
        cluster.path("spec").path("location")
            + "|"
            + Conditions.isTrue(cluster, "Ready")
            + "|"
            + cluster.path("spec").path("connection")
            + "|"
            + Meta.deleting(cluster);
    if (!facts.equals(clusterFacts.put(name, facts))) {
      enqueueAll();
    }
  }

  private void endpointsChanged(String cluster, String namespace, String service) {
    String svc = namespace + "/" + service;
    routeServices.forEach(
        (route, services) -> {
          if (services.contains(svc)) {
            runner.enqueue(route);
          }
        });
  }

  private void enqueueAll() {
    routeServices.keySet().forEach(runner::enqueue);
  }

  /** The Services a route names (rules and mirrors), as NAMESPACE/NAME. */
  private static Set<String> services(JsonNode route) {
    Set<String> out = new java.util.HashSet<>();
    String ns = Meta.namespace(route);
    for (JsonNode rule : route.path("spec").path("rules")) {
      List<JsonNode> refs = new ArrayList<>();
      rule.path("backendRefs").forEach(refs::add);
      rule.path("filters").forEach(f -> refs.add(f.path("requestMirror").path("backendRef")));
      for (JsonNode ref : refs) {
        if (ref.has("name") && ref.path("kind").asText("Service").equals("Service")) {
          out.add(ns + "/" + ref.path("name").asText());
        }
      }
    }
    return Set.copyOf(out);
  }

  @Override
  public Duration reconcile(String key) {
    int slash = key.indexOf('/');
    Optional<ObjectNode> found =
        objects.get(routes, key.substring(0, slash), key.substring(slash + 1));
    if (found.isEmpty() || Meta.deleting(found.get())) {
      return null;
    }
    ObjectNode route = found.get();
    List<RouteStatus.Member> fleet = new ArrayList<>();
    boolean allSynced = true;
    for (ObjectNode c : objects.list(clusters, "")) {
      if (Meta.deleting(c)) {
        continue;
      }
      String name = Meta.name(c);
      // the connection the health loop keeps: asking for one here would also re-apply a
      // simulated cluster's failure injection from this (maybe older) copy of the Cluster
      MemberCluster member = members.connected(name);
      if (member != null) {
        endpoints.watch(member);
      }
      boolean synced = endpoints.synced(name);
      allSynced &= synced;
      fleet.add(
          new RouteStatus.Member(
              ClusterView.of(Typed.read(c, Cluster.class)), Conditions.isTrue(c, "Ready"), synced));
    }
    if (routeServices.isEmpty()) {
      endpoints.stopAll(); // the last route went while this pass started watches
    }
    fleet.sort(Comparator.comparing(RouteStatus.Member::name));
    Map<String, ResidencyPolicy> policies = new HashMap<>();
    if (route.path("spec").path("residency").path("policies").size() > 0) {
      for (ObjectNode p : objects.list(residencyPolicies, "")) {
        if (!Meta.deleting(p)) {
          policies.put(Meta.name(p), Typed.read(p, ResidencyPolicy.class));
        }
      }
    }
    ObjectNode status =
        RouteStatus.compute(
            route,
            fleet,
            new RouteStatus.Endpoints() {
              @Override
              public Optional<JsonNode> servicePorts(String cluster, String ns, String name) {
                return endpoints.servicePorts(cluster, ns, name);
              }

              @Override
              public List<ObjectNode> slices(String cluster, String ns, String service) {
                return endpoints.slices(cluster, ns, service);
              }
            },
            policies,
            clock.instant());
    objects.updateStatusIfChanged(routes, route, status);
    return allSynced ? resync : UNSYNCED_RETRY;
  }

  /** How many member clusters are watched now (for tests). */
  public int watchedClusters() {
    return endpoints.watchedClusters();
  }

  @Override
  public void close() {
    for (AutoCloseable w : watches) {
      try {
        w.close();
      } catch (Exception e) {
        LOG.debug("closing a watch: {}", e.toString());
      }
    }
    runner.close();
    endpoints.close();
  }
}
