package dev.meridian.controllers.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.FieldError;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.ObjectConflictException;
import dev.meridian.controllers.ObjectNotFoundException;
import dev.meridian.controllers.runtime.ControllerRunner;
import dev.meridian.controllers.runtime.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/**
 * Serves Gateway API {@code HTTPRoute}s (once their CustomResourceDefinition is on the hub) whose
 * {@code parentRefs} name a Meridian gateway ({@code group: network.meridian.dev, kind: Gateway,
 * name: <meridian gateway --name>}): each becomes a {@code GlobalRoute} named {@code
 * httproute-NAME}, owned by it and kept in step with it, and the HTTPRoute's {@code status.parents}
 * says whether Meridian accepted it ({@code Accepted}, reason {@code UnsupportedValue} naming every
 * field it cannot honour, or {@code Invalid} with the hub's validation message) and whether its
 * backends resolved ({@code ResolvedRefs}, from the GlobalRoute's status). Entries of other
 * controllers in {@code status.parents} are left as they are. Keys are {@code NAMESPACE/NAME} of
 * the HTTPRoute.
 */
public final class HttpRouteController implements Reconciler, AutoCloseable {
  private final ObjectClient objects;
  private final ResourceTypes types;
  private final ResourceType globalRoutes;
  private final Clock clock;
  private final ControllerRunner runner;
  private final AutoCloseable crdWatch;
  private final AutoCloseable globalRouteWatch;
  private AutoCloseable routeWatch;

  public HttpRouteController(
      ObjectClient objects,
      ResourceTypes types,
      ExecutorService workers,
      ScheduledExecutorService timers,
      Clock clock) {
    this.objects = objects;
    this.types = types;
    this.globalRoutes =
        types
            .byKind(ResourceTypes.NETWORK + "/" + ResourceTypes.MERIDIAN_VERSION, "GlobalRoute")
            .orElseThrow();
    this.clock = clock;
    this.runner = new ControllerRunner("http-routes", this, workers, timers, 1);
    this.crdWatch = objects.watchMetadata(ResourceTypes.CRD, (type, crd) -> followRouteKind());
    this.globalRouteWatch =
        objects.watch(
            globalRoutes,
            (type, gr) -> {
              String origin = Meta.labels(gr).get(HttpRouteConversion.ROUTE_LABEL);
              if (origin != null) {
                runner.enqueue(Meta.namespace(gr) + "/" + origin);
              }
            });
    followRouteKind();
  }

  /** Watches HTTPRoutes while the hub serves the kind (a CRD may come and go). */
  private synchronized void followRouteKind() {
    Optional<ResourceType> type = routeType();
    if (type.isPresent() && routeWatch == null) {
      routeWatch =
          objects.watch(
              type.get(), (t, r) -> runner.enqueue(Meta.namespace(r) + "/" + Meta.name(r)));
    } else if (type.isEmpty() && routeWatch != null) {
      closeQuietly(routeWatch);
      routeWatch = null;
    }
  }

  private Optional<ResourceType> routeType() {
    return types.byKind(HttpRouteConversion.API_VERSION, HttpRouteConversion.KIND);
  }

  @Override
  public Duration reconcile(String key) {
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    String grName = HttpRouteConversion.globalRouteName(name);
    Optional<ObjectNode> existing = objects.get(globalRoutes, ns, grName);
    Optional<ResourceType> type = routeType();
    Optional<ObjectNode> found = type.flatMap(t -> objects.get(t, ns, name));
    if (found.isEmpty()
        || Meta.deleting(found.get())
        || !HttpRouteConversion.targetsMeridian(found.get())) {
      existing.filter(gr -> madeFrom(gr, ns, name)).ifPresent(gr -> delete(ns, grName));
      found.ifPresent(r -> writeStatus(type.get(), r, null, null, null));
      return null;
    }
    ObjectNode route = found.get();
    HttpRouteConversion.Result result = HttpRouteConversion.convert(route);
    if (!result.ok()) {
      existing.filter(gr -> madeFrom(gr, ns, name)).ifPresent(gr -> delete(ns, grName));
      String why =
          result.problems().stream().map(FieldError::toString).collect(Collectors.joining("; "));
      writeStatus(type.get(), route, "UnsupportedValue", why, null);
      return null;
    }
    if (existing.isPresent() && !madeFrom(existing.get(), ns, name)) {
      writeStatus(
          type.get(),
          route,
          "Conflict",
          "GlobalRoute " + ns + "/" + grName + " exists and was not made from this HTTPRoute",
          null);
      return null;
    }
    ObjectNode desired = result.globalRoute();
    ObjectNode written;
    try {
      if (existing.isEmpty()) {
        written = objects.create(globalRoutes, ns, desired);
      } else {
        ObjectNode next = existing.get().deepCopy();
        next.set("spec", desired.get("spec"));
        ObjectNode meta = Meta.metadata(next);
        meta.set("labels", desired.path("metadata").get("labels"));
        meta.set("annotations", desired.path("metadata").get("annotations"));
        meta.set("ownerReferences", desired.path("metadata").get("ownerReferences"));
        written =
            ResourceCodec.sameTree(next, existing.get())
                ? existing.get()
                : objects.update(globalRoutes, ns, next);
      }
    } catch (ObjectConflictException | ObjectNotFoundException e) {
      return Duration.ofMillis(200); // raced with another writer: look again with what is now
    } catch (RuntimeException e) {
      writeStatus(type.get(), route, "Invalid", e.getMessage(), null);
      return null;
    }
    writeStatus(type.get(), route, null, null, Conditions.find(written, "ResolvedRefs"));
    return null;
  }

  private static boolean madeFrom(ObjectNode gr, String ns, String name) {
    return (HttpRouteConversion.KIND + "/" + ns + "/" + name)
        .equals(Meta.annotations(gr).get(HttpRouteConversion.ORIGIN));
  }

  private void delete(String ns, String name) {
    try {
      objects.delete(globalRoutes, ns, name);
    } catch (ObjectNotFoundException e) {
      // gone already
    }
  }

  /**
   * Rewrites this controller's entries of {@code status.parents}: one per Meridian parentRef,
   * accepted unless {@code refusal} is set; none when the route names no Meridian gateway.
   */
  private void writeStatus(
      ResourceType type, ObjectNode route, String refusal, String message, JsonNode resolved) {
    ObjectNode status =
        route.path("status") instanceof ObjectNode s ? s.deepCopy() : ResourceCodec.newObject();
    ArrayNode before =
        route.path("status").path("parents") instanceof ArrayNode a ? a : ResourceCodec.newArray();
    ArrayNode parents = status.putArray("parents");
    for (JsonNode p : before) {
      if (!HttpRouteConversion.CONTROLLER_NAME.equals(p.path("controllerName").asText())) {
        parents.add(p);
      }
    }
    long generation = route.path("metadata").path("generation").asLong();
    Instant now = Instant.now(clock);
    if (HttpRouteConversion.targetsMeridian(route) && !Meta.deleting(route)) {
      for (JsonNode ref : route.path("spec").path("parentRefs")) {
        if (!HttpRouteConversion.isMeridianParent(ref)) {
          continue;
        }
        ObjectNode entry = parents.addObject();
        entry.set("parentRef", ref.deepCopy());
        entry.put("controllerName", HttpRouteConversion.CONTROLLER_NAME);
        ArrayNode conditions = entry.putArray("conditions");
        conditions
            .addObject()
            .put("type", "Accepted")
            .put("status", refusal == null ? "True" : "False")
            .put("reason", refusal == null ? "Accepted" : refusal)
            .put(
                "message",
                refusal == null
                    ? "served as GlobalRoute "
                        + HttpRouteConversion.globalRouteName(Meta.name(route))
                    : message)
            .put("observedGeneration", generation);
        if (refusal == null) {
          boolean known = resolved != null && !resolved.isMissingNode();
          conditions
              .addObject()
              .put("type", "ResolvedRefs")
              .put("status", known ? resolved.path("status").asText("Unknown") : "Unknown")
              .put("reason", known ? resolved.path("reason").asText("Pending") : "Pending")
              .put(
                  "message",
                  known ? resolved.path("message").asText("") : "backends not resolved yet")
              .put("observedGeneration", generation);
        }
        Conditions.stampTransitions(conditions, previousOf(before, ref), now);
      }
    }
    if (parents.isEmpty() && !route.path("status").has("parents")) {
      status.remove("parents");
    }
    objects.updateStatusIfChanged(type, route, status);
  }

  /** This controller's earlier entry for {@code ref}, shaped as an object with conditions. */
  private static JsonNode previousOf(ArrayNode parents, JsonNode ref) {
    for (JsonNode p : parents) {
      if (HttpRouteConversion.CONTROLLER_NAME.equals(p.path("controllerName").asText())
          && ResourceCodec.sameTree(p.path("parentRef"), ref)) {
        ObjectNode wrapper = ResourceCodec.newObject();
        wrapper.putObject("status").set("conditions", p.path("conditions"));
        return wrapper;
      }
    }
    return ResourceCodec.newObject();
  }

  @Override
  public void close() {
    closeQuietly(crdWatch);
    closeQuietly(globalRouteWatch);
    synchronized (this) {
      if (routeWatch != null) {
        closeQuietly(routeWatch);
      }
    }
    runner.close();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing a watch: nothing to do about a failure
    }
  }

  /** For tests: whether nothing is queued or running. */
  public boolean idle() {
    return runner.idle();
  }
}
