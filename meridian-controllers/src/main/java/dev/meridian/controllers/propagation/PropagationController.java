package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Bindings;
import dev.meridian.api.Conditions;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.ObjectConflictException;
import dev.meridian.controllers.ObjectNotFoundException;
import dev.meridian.controllers.propagation.render.ClusterFacts;
import dev.meridian.controllers.propagation.render.Dependencies;
import dev.meridian.controllers.propagation.render.Dependency;
import dev.meridian.controllers.propagation.render.MemberManifest;
import dev.meridian.controllers.propagation.render.Overrides;
import dev.meridian.controllers.propagation.render.StatusAggregation;
import dev.meridian.controllers.runtime.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The heart of propagation, for one template: finds the policy that places it, schedules it, writes
 * the {@code ResourceBinding} (decision plus, for every cluster left out, why), renders one {@code
 * Work} per chosen cluster (overrides applied, replicas set, dependencies and the namespace added),
 * removes the Works of clusters no longer chosen, and aggregates what the Works report back into
 * the binding's and the template's status.
 *
 * <p>Keys are {@link TemplateKey} strings. Level-triggered: each pass recomputes everything from
 * the objects as they are.
 */
public final class PropagationController implements Reconciler {
  public static final String TEMPLATE_ANNOTATION = "meridian.dev/template";

  /** On a template: a new value asks for its replicas to be divided again from scratch. */
  public static final String REBALANCE_ANNOTATION = "meridian.dev/rebalance";

  private final Clock clock;
  private final ObjectClient objects;
  private final ResourceTypes types;
  private final PlacementEngine placement;
  private final ResourceType bindings;
  private final ResourceType works;
  private final ResourceType clusters;

  /** dependency key → templates that use it, so a changed ConfigMap re-renders its workloads. */
  private final Map<String, Set<String>> dependents = new ConcurrentHashMap<>();

  public PropagationController(
      ObjectClient objects, ResourceTypes types, PlacementEngine placement, Clock clock) {
    this.objects = objects;
    this.clock = clock;
    this.types = types;
    this.placement = placement;
    this.bindings = types.byKind(ResourceTypes.WORK + "/v1alpha1", "ResourceBinding").orElseThrow();
    this.works = types.byKind(ResourceTypes.WORK + "/v1alpha1", "Work").orElseThrow();
    this.clusters = types.byKind(ResourceTypes.FLEET + "/v1alpha1", "Cluster").orElseThrow();
  }

  /**
   * Templates whose placement a change in some cluster's free capacity can change: those divided by
   * capacity (dynamic weights, {@code Aggregated}), those a cluster was left out of for lack of
   * room, and those that fit nowhere.
   */
  private final Set<String> capacitySensitive = ConcurrentHashMap.newKeySet();

  public Set<String> capacitySensitive() {
    return Set.copyOf(capacitySensitive);
  }

  static boolean dependsOnCapacity(ObjectNode policy, PlacementEngine.Decision decision) {
    JsonNode rs = policy.path("spec").path("placement").path("replicaScheduling");
    if (decision.unschedulable() != null
        || "Aggregated".equals(rs.path("division").asText(""))
        || rs.path("weights").has("dynamic")) {
      return true;
    }
    for (PlacementEngine.Exclusion e : decision.excluded()) {
      for (String reason : e.reasons()) {
        if (reason.startsWith("capacity")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The templates that use {@code templateKey} as a dependency. */
  public Set<String> dependentsOf(String templateKey) {
    return dependents.getOrDefault(templateKey, Set.of());
  }

  /**
   * Prefix of a queue key that asks only for the template's status to be aggregated again (its
   * Works reported), not for it to be scheduled and rendered: the common case, and a fraction of
   * the cost.
   */
  public static final String AGGREGATE = "aggregate:";

  @Override
  public Duration reconcile(String key) {
    if (key.startsWith(AGGREGATE)) {
      aggregateOnly(key.substring(AGGREGATE.length()));
      return null;
    }
    TemplateKey k = TemplateKey.parse(key);
    Optional<ResourceType> type = types.byKind(k.apiVersion(), k.kind());
    String bindingNs = bindingNamespace(k);
    String bindingName = bindingName(k);
    Optional<ObjectNode> template = type.flatMap(t -> objects.get(t, k.namespace(), k.name()));
    if (template.isEmpty() || Meta.deleting(template.get())) {
      capacitySensitive.remove(key);
      return template.isEmpty()
          ? unbind(bindingNs, bindingName)
          : deleteCascading(type.get(), template.get(), bindingNs, bindingName);
    }
    ObjectNode tpl = template.get();
    List<ObjectNode> policies = new ArrayList<>();
    if (!k.namespace().isEmpty()) {
      policies.addAll(objects.list(policyType("PropagationPolicy"), k.namespace()));
    }
    policies.addAll(objects.list(policyType("ClusterPropagationPolicy"), ""));
    // Helm's release records (Secrets of type helm.sh/release.v1) belong to the hub's Helm
    // releases, whatever a policy selects: a member has no use for them
    Optional<ObjectNode> policy =
        isHelmRelease(tpl) ? Optional.empty() : placement.match(tpl, policies);
    if (policy.isEmpty()) {
      capacitySensitive.remove(key);
      unbind(bindingNs, bindingName);
      return null;
    }
    Optional<ObjectNode> existing = objects.get(bindings, bindingNs, bindingName);
    Map<String, Integer> previous = new LinkedHashMap<>();
    existing.ifPresent(
        b ->
            b.path("spec")
                .path("clusters")
                .forEach(
                    c ->
                        previous.put(
                            c.path("name").asText(),
                            c.path("replicas").isNumber() ? c.path("replicas").asInt() : null)));
    // `meridian rebalance` asks for a fresh division with a new token in this annotation
    String rebalanceToken = Meta.annotations(tpl).getOrDefault(REBALANCE_ANNOTATION, "");
    boolean rebalance =
        !rebalanceToken.isEmpty()
            && !rebalanceToken.equals(
                existing.map(b -> b.path("spec").path("rebalanced").asText("")).orElse(""));
    List<ObjectNode> fleet = objects.list(clusters, "");
    Map<String, ObjectNode> clusterByName = new HashMap<>();
    fleet.forEach(c -> clusterByName.put(Meta.name(c), c));
    // failback: a cluster whose replicas went elsewhere when it failed gets its share back by a
    // fresh division, once it has been Ready for the policy's stable period
    Instant now = Instant.now(clock);
    Map<String, String> failedOver = new LinkedHashMap<>();
    existing.ifPresent(
        b ->
            b.path("spec")
                .path("failedOver")
                .forEach(f -> failedOver.put(f.path("cluster").asText(), f.path("at").asText())));
    Failback failback = Failback.of(policy.get());
    Duration failbackRecheck = null;
    if (failback.automatic() && !rebalance) {
      for (String c : failedOver.keySet()) {
        Instant since = Failback.healthySince(clusterByName.get(c));
        if (since == null) {
          continue;
        }
        Instant due = since.plus(failback.stable());
        if (!due.isAfter(now)) {
          rebalance = true;
        } else {
          Duration wait = Duration.between(now, due);
          failbackRecheck =
              failbackRecheck == null || wait.compareTo(failbackRecheck) < 0
                  ? wait
                  : failbackRecheck;
        }
      }
    }
    Map<String, String> nsLabels =
        k.namespace().isEmpty()
            ? Map.of()
            : objects
                .get(ResourceTypes.NAMESPACE, "", k.namespace())
                .map(Meta::labels)
                .orElse(Map.of());
    PlacementEngine.Decision decision =
        placement.schedule(
            tpl,
            policy.get(),
            fleet,
            objects.list(policyType("ResidencyPolicy"), ""),
            nsLabels,
            previous,
            rebalance);
    if (dependsOnCapacity(policy.get(), decision)) {
      capacitySensitive.add(key);
    } else {
      capacitySensitive.remove(key);
    }
    // Works exist only for clusters a binding named, so the previous decision says which may be
    // stale (no listing, and parsing, of every Work in the namespace on each pass). They go before
    // the new decision is recorded: a pass that fails after recording it would otherwise leave
    // them behind for good, the next pass reading the new decision as the previous one
    Set<String> chosen = new java.util.HashSet<>();
    decision.targets().forEach(t -> chosen.add(t.cluster()));
    for (String c : previous.keySet()) {
      if (!chosen.contains(c)) {
        delete(works, bindingNs, bindingName + "-" + c);
      }
    }
    // clusters left for a health taint are remembered until they hold the template again
    Map<String, String> stillFailedOver = new LinkedHashMap<>();
    if (failback.divided()) {
      failedOver.forEach(
          (c, at) -> {
            if (!chosen.contains(c) && clusterByName.containsKey(c)) {
              stillFailedOver.put(c, at);
            }
          });
      for (String c : previous.keySet()) {
        if (!chosen.contains(c) && Failback.healthTainted(clusterByName.get(c))) {
          stillFailedOver.putIfAbsent(
              c, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
      }
    }
    ObjectNode binding =
        writeBinding(
            existing, bindingNs, bindingName, k, tpl, policy.get(), decision, stillFailedOver);
    List<ObjectNode> overrides =
        k.namespace().isEmpty()
            ? List.of()
            : objects.list(policyType("OverridePolicy"), k.namespace());
    List<ObjectNode> deps = dependencies(k, tpl, policy.get());
    boolean waiting = false;
    for (PlacementEngine.Target target : decision.targets()) {
      ObjectNode cluster = clusterByName.get(target.cluster());
      if (cluster == null) {
        continue;
      }
      String workName = bindingName + "-" + target.cluster();
      waiting |=
          !writeWork(
              bindingNs,
              workName,
              bindingName,
              key,
              target.cluster(),
              render(tpl, deps, bindingNs, bindingName, target, cluster, overrides),
              policy.get());
    }
    aggregate(type.get(), tpl, binding, bindingNs, bindingName, decision, generation(tpl));
    // a cluster chosen again while its earlier Work is still being deleted gets its new Work
    // when the old one is gone: its deletion queues this template, and this is the safety net
    // for a deletion event that never arrives (a watch that had to list again)
    Duration recheck = waiting ? TERMINATING_RECHECK : null;
    if (failbackRecheck != null) {
      Duration at = failbackRecheck.plusSeconds(1);
      recheck = recheck == null || at.compareTo(recheck) < 0 ? at : recheck;
    }
    if (decision.recheckAfter() != null) {
      // a tolerated NoExecute taint runs out then; a second more, as taint times are in seconds
      Duration at = decision.recheckAfter().plusSeconds(1);
      recheck = recheck == null || at.compareTo(recheck) < 0 ? at : recheck;
    }
    return recheck;
  }

  /** How soon a pass that met a Work still being deleted looks again. */
  static final Duration TERMINATING_RECHECK = Duration.ofSeconds(2);

  private ResourceType policyType(String kind) {
    return policyType(types, kind);
  }

  /** The type of a policy kind ({@code policy.meridian.dev/v1alpha1}). */
  static ResourceType policyType(ResourceTypes types, String kind) {
    return types
        .byKind(ResourceTypes.POLICY + "/" + ResourceTypes.MERIDIAN_VERSION, kind)
        .orElseThrow(() -> new IllegalArgumentException("not a policy kind: " + kind));
  }

  /** Where a template's binding and Works live: its namespace, or meridian-system. */
  static String bindingNamespace(TemplateKey k) {
    return Bindings.namespace(k.namespace());
  }

  static String bindingName(TemplateKey k) {
    return Bindings.name(k.name(), k.kind());
  }

  private List<ObjectNode> dependencies(TemplateKey k, ObjectNode tpl, ObjectNode policy) {
    if (!policy.path("spec").path("propagateDependencies").asBoolean(false)
        || k.namespace().isEmpty()) {
      return List.of();
    }
    List<ObjectNode> out = new ArrayList<>();
    for (Dependency d : Dependencies.of(tpl)) {
      Optional<ResourceType> t = types.byKind("v1", d.kind());
      if (t.isEmpty()) {
        continue;
      }
      dependents
          .computeIfAbsent(
              TemplateKey.of("v1", d.kind(), k.namespace(), d.name()).toString(),
              x -> ConcurrentHashMap.newKeySet())
          .add(k.toString());
      objects.get(t.get(), k.namespace(), d.name()).ifPresent(out::add);
    }
    return out;
  }

  private List<ObjectNode> render(
      ObjectNode tpl,
      List<ObjectNode> deps,
      String bindingNs,
      String bindingName,
      PlacementEngine.Target target,
      ObjectNode cluster,
      List<ObjectNode> overrides) {
    ClusterFacts facts = facts(cluster);
    List<ObjectNode> manifests = new ArrayList<>();
    String ns = Meta.namespace(tpl);
    if (!ns.isEmpty()) {
      ObjectNode nsManifest = ResourceCodec.newObject();
      nsManifest.put("apiVersion", "v1").put("kind", "Namespace");
      nsManifest
          .putObject("metadata")
          .put("name", ns)
          .putObject("annotations")
          .put(WorkController.ENSURE_ONLY, "true");
      manifests.add(nsManifest);
    }
    for (ObjectNode dep : deps) {
      manifests.add(
          Overrides.apply(
                  MemberManifest.render(dep, bindingNs, bindingName, null), overrides, facts)
              .manifest());
    }
    manifests.add(
        Overrides.apply(
                MemberManifest.render(tpl, bindingNs, bindingName, target.replicas()),
                overrides,
                facts)
            .manifest());
    return manifests;
  }

  static ClusterFacts facts(ObjectNode cluster) {
    JsonNode loc = cluster.path("spec").path("location");
    return new ClusterFacts(
        Meta.name(cluster),
        Meta.labels(cluster),
        loc.path("region").asText(null),
        loc.path("zone").asText(null),
        loc.path("country").asText(null),
        loc.path("provider").asText(null));
  }

  private ObjectNode writeBinding(
      Optional<ObjectNode> existing,
      String ns,
      String name,
      TemplateKey k,
      ObjectNode tpl,
      ObjectNode policy,
      PlacementEngine.Decision d,
      Map<String, String> failedOver) {
    ObjectNode spec = ResourceCodec.newObject();
    ObjectNode res =
        spec.putObject("resource").put("apiVersion", k.apiVersion()).put("kind", k.kind());
    if (!k.namespace().isEmpty()) {
      res.put("namespace", k.namespace());
    }
    res.put("name", k.name()).put("uid", Meta.uid(tpl));
    ObjectNode pol =
        spec.putObject("policy").put("kind", Meta.kind(policy)).put("name", Meta.name(policy));
    if (!Meta.namespace(policy).isEmpty()) {
      pol.put("namespace", Meta.namespace(policy));
    }
    if (tpl.path("spec").path("replicas").isNumber()) {
      spec.put("replicas", tpl.path("spec").path("replicas").asInt());
    }
    ArrayNode cl = spec.putArray("clusters");
    for (PlacementEngine.Target t : d.targets()) {
      ObjectNode c = cl.addObject().put("name", t.cluster());
      if (t.replicas() != null) {
        c.put("replicas", t.replicas());
      }
    }
    ArrayNode ex = spec.putArray("excluded");
    for (PlacementEngine.Exclusion e : d.excluded()) {
      ArrayNode reasons = ex.addObject().put("cluster", e.cluster()).putArray("reasons");
      e.reasons().forEach(reasons::add);
    }
    if (d.unschedulable() != null) {
      spec.put("unschedulable", d.unschedulable());
    }
    if (!failedOver.isEmpty()) {
      ArrayNode fo = spec.putArray("failedOver");
      failedOver.forEach((c, at) -> fo.addObject().put("cluster", c).put("at", at));
    }
    String token = Meta.annotations(tpl).getOrDefault(REBALANCE_ANNOTATION, "");
    if (!token.isEmpty()) {
      spec.put("rebalanced", token);
    }
    if (!d.warnings().isEmpty()) {
      ArrayNode w = spec.putArray("warnings");
      d.warnings().forEach(w::add);
    }
    if (existing.isPresent()) {
      if (ResourceCodec.sameTree(existing.get().path("spec"), spec)) {
        return existing.get();
      }
      ObjectNode next = existing.get().deepCopy();
      next.set("spec", spec);
      return objects.update(bindings, ns, next);
    }
    ObjectNode b = ResourceCodec.newObject();
    b.put("apiVersion", bindings.apiVersion()).put("kind", "ResourceBinding");
    ObjectNode meta = b.putObject("metadata").put("name", name).put("namespace", ns);
    meta.putObject("annotations").put(TEMPLATE_ANNOTATION, k.toString());
    b.set("spec", spec);
    return objects.create(bindings, ns, b);
  }

  /**
   * Creates or updates the Work of one cluster.
   *
   * @return false when the Work could not be written because its earlier copy is still being
   *     deleted (its cleanup in the cluster has not finished)
   */
  private boolean writeWork(
      String ns,
      String name,
      String binding,
      String templateKey,
      String cluster,
      List<ObjectNode> manifests,
      ObjectNode policy) {
    ObjectNode spec = ResourceCodec.newObject();
    spec.put("cluster", cluster);
    spec.put("conflictResolution", policy.path("spec").path("conflictResolution").asText("Abort"));
    spec.put("deletePolicy", policy.path("spec").path("deletePolicy").asText("Delete"));
    ArrayNode ms = spec.putArray("manifests");
    manifests.forEach(ms::add);
    Optional<ObjectNode> existing = objects.get(works, ns, name);
    if (existing.isPresent()) {
      if (Meta.deleting(existing.get())) {
        return false;
      }
      if (ResourceCodec.sameTree(existing.get().path("spec"), spec)) {
        return true;
      }
      ObjectNode next = existing.get().deepCopy();
      next.set("spec", spec);
      objects.update(works, ns, next);
      return true;
    }
    ObjectNode w = ResourceCodec.newObject();
    w.put("apiVersion", works.apiVersion()).put("kind", "Work");
    ObjectNode meta = w.putObject("metadata").put("name", name).put("namespace", ns);
    ObjectNode labels = meta.putObject("labels");
    WorkController.labels(binding, cluster).forEach(labels::put);
    meta.putObject("annotations").put(TEMPLATE_ANNOTATION, templateKey);
    // born with the Work controller's cleanup finalizer: one write less per Work and cluster
    meta.putArray("finalizers").add(WorkController.FINALIZER);
    w.set("spec", spec);
    try {
      objects.create(works, ns, w);
    } catch (ObjectConflictException e) {
      // created meanwhile by an earlier pass: the next pass updates it
    }
    return true;
  }

  private List<ObjectNode> worksOf(String ns, String binding) {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode w : objects.list(works, ns)) {
      if (binding.equals(Meta.labels(w).get(WorkController.BINDING_LABEL))) {
        out.add(w);
      }
    }
    return out;
  }

  /** Removes a template's binding and Works (whose finalizers clean the members up). */
  private Duration unbind(String ns, String binding) {
    // most templates were never bound (no policy selects them): one read settles it. Works go
    // before their binding, so without a binding there are none left to remove.
    if (objects.get(bindings, ns, binding).isEmpty()) {
      return null;
    }
    for (ObjectNode w : worksOf(ns, binding)) {
      delete(works, ns, Meta.name(w));
    }
    delete(bindings, ns, binding);
    return null;
  }

  /**
   * A template being deleted, by the propagation policy of its deletion as Kubernetes' garbage
   * collector follows it: {@code Background} (no finalizer of ours) unbinds and lets it go; {@code
   * Orphan} marks its Works to leave the members' copies in place, unbinds, and releases it; {@code
   * Foreground} unbinds and releases it only once every Work is gone, that is once each member's
   * copy is deleted.
   */
  private Duration deleteCascading(
      ResourceType type, ObjectNode tpl, String ns, String bindingName) {
    List<String> finalizers = new ArrayList<>();
    tpl.path("metadata").path("finalizers").forEach(f -> finalizers.add(f.asText()));
    boolean orphan = finalizers.contains(Bindings.ORPHAN);
    boolean foreground = finalizers.contains(Bindings.FOREGROUND_DELETION);
    if (orphan) {
      for (ObjectNode w : worksOf(ns, bindingName)) {
        if (!Meta.deleting(w) && !"Orphan".equals(w.path("spec").path("deletePolicy").asText())) {
          ObjectNode next = w.deepCopy();
          ((ObjectNode) next.path("spec")).put("deletePolicy", "Orphan");
          objects.update(works, ns, next);
        }
      }
    }
    unbind(ns, bindingName);
    if (!orphan && !foreground) {
      return null;
    }
    if (foreground && !orphan && !worksOf(ns, bindingName).isEmpty()) {
      return Duration.ofSeconds(1); // the members' copies are still being deleted
    }
    ObjectNode released = tpl.deepCopy();
    ArrayNode kept = Meta.metadata(released).putArray("finalizers");
    finalizers.stream()
        .filter(f -> !f.equals(Bindings.ORPHAN) && !f.equals(Bindings.FOREGROUND_DELETION))
        .forEach(kept::add);
    if (kept.isEmpty()) {
      Meta.metadata(released).remove("finalizers");
    }
    try {
      objects.update(type, Meta.namespace(tpl), released);
    } catch (ObjectNotFoundException e) {
      // already gone
    }
    return null;
  }

  private void delete(ResourceType type, String ns, String name) {
    try {
      objects.delete(type, ns, name);
    } catch (ObjectNotFoundException e) {
      // already gone
    }
  }

  /** Aggregates what the Works of a bound template report, with the binding's placement. */
  private void aggregateOnly(String key) {
    TemplateKey k = TemplateKey.parse(key);
    Optional<ResourceType> type = types.byKind(k.apiVersion(), k.kind());
    String bindingNs = bindingNamespace(k);
    String bindingName = bindingName(k);
    Optional<ObjectNode> template = type.flatMap(t -> objects.get(t, k.namespace(), k.name()));
    if (template.isEmpty() || Meta.deleting(template.get())) {
      return; // its own event queues the full pass that unbinds it
    }
    Optional<ObjectNode> binding = objects.get(bindings, bindingNs, bindingName);
    if (binding.isEmpty()) {
      return;
    }
    List<PlacementEngine.Target> targets = new ArrayList<>();
    for (JsonNode c : binding.get().path("spec").path("clusters")) {
      targets.add(
          new PlacementEngine.Target(
              c.path("name").asText(),
              c.path("replicas").isNumber() ? c.path("replicas").asInt() : null));
    }
    // the generation the last full pass rendered into the Works; a newer one is on its way
    long rendered =
        binding.get().path("status").path("observedGeneration").asLong(generation(template.get()));
    aggregate(
        type.get(),
        template.get(),
        binding.get(),
        bindingNs,
        bindingName,
        new PlacementEngine.Decision(
            targets,
            List.of(),
            binding.get().path("spec").path("unschedulable").isTextual()
                ? binding.get().path("spec").path("unschedulable").asText()
                : null,
            List.of(),
            null),
        rendered);
  }

  /** The Secret type Helm stores its releases as. */
  static final String HELM_RELEASE_TYPE = "helm.sh/release.v1";

  static boolean isHelmRelease(ObjectNode obj) {
    return Meta.kind(obj).equals("Secret")
        && Meta.apiVersion(obj).equals("v1")
        && HELM_RELEASE_TYPE.equals(obj.path("type").asText(""));
  }

  private static long generation(ObjectNode obj) {
    return obj.path("metadata").path("generation").asLong(0);
  }

  private void aggregate(
      ResourceType type,
      ObjectNode tpl,
      ObjectNode binding,
      String ns,
      String bindingName,
      PlacementEngine.Decision d,
      long renderedGeneration) {
    Map<String, ObjectNode> live = new TreeMap<>();
    Map<String, String> errors = new TreeMap<>();
    ArrayNode perCluster = ResourceCodec.newArray();
    Map<String, Integer> shares = new HashMap<>();
    d.targets().forEach(t -> shares.put(t.cluster(), t.replicas()));
    for (PlacementEngine.Target t : d.targets()) {
      // status only: a Work's manifests are most of it, and aggregation does not read them
      Optional<ObjectNode> work = objects.getStatus(works, ns, bindingName + "-" + t.cluster());
      if (work.isEmpty()) {
        continue;
      }
      ObjectNode w = work.get();
      String cluster = t.cluster();
      if (Meta.deleting(w)) {
        // the copy of an earlier placement (the cluster was dropped, then chosen again): its
        // status is not this placement's, and a new Work follows once its cleanup is done
        errors.put(cluster, "removing the copy of an earlier placement; a new one follows");
        perCluster
            .addObject()
            .put("cluster", cluster)
            .put("applied", false)
            .put("health", "Unknown")
            .put("message", errors.get(cluster));
        continue;
      }
      JsonNode result = null;
      boolean current =
          w.path("status").path("observedGeneration").asLong(-1)
              == w.path("metadata").path("generation").asLong();
      for (JsonNode m : w.path("status").path("manifests")) {
        if (m.path("kind").asText().equals(Meta.kind(tpl))
            && m.path("name").asText().equals(Meta.name(tpl))) {
          result = m;
        }
      }
      ObjectNode entry = perCluster.addObject().put("cluster", cluster);
      if (result != null && !current) {
        // the Work changed since its status was written: this cluster is not done yet, and
        // counts with what it last reported (the template's READY does not dip meanwhile)
        errors.put(cluster, "applying the latest change");
        entry.put("applied", false).put("health", "Unknown").put("message", errors.get(cluster));
        if (result.path("applied").asBoolean()) {
          live.put(cluster, memberCopy(tpl, result, shares.get(cluster)));
        }
        continue;
      }
      if (result == null) {
        errors.put(
            cluster,
            w.path("status").path("conditions").path(0).path("message").asText("not applied yet"));
        entry.put("applied", false).put("health", "Unknown").put("message", errors.get(cluster));
        continue;
      }
      entry
          .put("applied", result.path("applied").asBoolean())
          .put("health", result.path("health").asText("Unknown"));
      if (result.has("message")) {
        entry.put("message", result.path("message").asText());
      }
      if (result.path("applied").asBoolean()) {
        live.put(cluster, memberCopy(tpl, result, shares.get(cluster)));
      } else {
        errors.put(cluster, result.path("message").asText("not applied"));
      }
    }
    ObjectNode status = ResourceCodec.newObject();
    // the template generation the Works were rendered from: until it is the template's own, a
    // change is still on its way and nothing may claim to be fully applied
    status.put("observedGeneration", renderedGeneration);
    boolean rendered = renderedGeneration == generation(tpl);
    ArrayNode conditions = status.putArray("conditions");
    conditions
        .addObject()
        .put("type", "Scheduled")
        .put("status", d.unschedulable() == null ? "True" : "False")
        .put("reason", d.unschedulable() == null ? "Scheduled" : "Unschedulable")
        .put(
            "message",
            d.unschedulable() == null
                ? d.targets().size() + " clusters chosen"
                : d.unschedulable());
    long applied = 0;
    for (JsonNode e : perCluster) {
      applied += e.path("applied").asBoolean() ? 1 : 0;
    }
    // placed nowhere is not "fully applied", even though none of zero clusters is missing
    boolean nowhere = d.targets().isEmpty();
    boolean full =
        rendered
            && !nowhere
            && applied == d.targets().size()
            && perCluster.size() == d.targets().size();
    conditions
        .addObject()
        .put("type", "FullyApplied")
        .put("status", full ? "True" : "False")
        .put("reason", full ? "Applied" : nowhere ? "NotScheduled" : "Pending")
        .put(
            "message",
            nowhere
                ? "placed on no cluster"
                : !rendered
                    ? "generation "
                        + generation(tpl)
                        + " of the template is being rendered for its clusters"
                    : applied + " of " + d.targets().size() + " clusters applied");
    status.set("aggregatedStatus", perCluster);
    Instant now = Instant.now(clock);
    Conditions.stampTransitions(conditions, binding, now);
    objects.updateStatusIfChanged(bindings, binding, status);
    // the template's observedGeneration, as kubectl rollout status reads it: its generation once
    // every cluster runs a copy rendered from it and has seen that copy (the rollout is under way
    // everywhere); until then the generation observed before
    boolean observed =
        full
            && errors.isEmpty()
            && live.values().stream().allMatch(StatusAggregation::seenByMember);
    long before = tpl.path("status").path("observedGeneration").asLong(0);
    long observedGeneration = observed ? generation(tpl) : Math.min(before, generation(tpl));
    objects.updateStatusIfChanged(
        type, tpl, StatusAggregation.aggregate(tpl, live, errors, now, observedGeneration));
  }

  /**
   * The template as a member runs it, for the aggregation: its share of replicas, the member's
   * generation and the status the member reported.
   */
  private static ObjectNode memberCopy(ObjectNode tpl, JsonNode result, Integer share) {
    // a shallow copy with its own spec: the aggregation only reads it, and copying the whole
    // template (pod spec and all) per cluster was a third of the aggregation's time
    ObjectNode liveObj = ResourceCodec.newObject().setAll(tpl);
    if (tpl.path("spec").isObject()) {
      liveObj.set("spec", ResourceCodec.newObject().setAll((ObjectNode) tpl.get("spec")));
    }
    // judge each cluster by what it was asked to run, not the template's total
    if (share != null && liveObj.path("spec").path("replicas").isNumber()) {
      ((ObjectNode) liveObj.get("spec")).put("replicas", share);
    }
    // judged against the member's generation, which its observedGeneration counts
    ObjectNode meta = ResourceCodec.newObject().setAll((ObjectNode) tpl.path("metadata"));
    if (result.path("generation").isNumber()) {
      meta.put("generation", result.path("generation").asLong());
    } else {
      meta.remove("generation");
    }
    liveObj.set("metadata", meta);
    if (result.has("status")) {
      liveObj.set("status", result.get("status"));
    } else {
      liveObj.remove("status");
    }
    return liveObj;
  }

  /** Identifies a template: {@code apiVersion|kind|namespace|name}. */
  public record TemplateKey(String apiVersion, String kind, String namespace, String name) {
    public static TemplateKey of(String apiVersion, String kind, String namespace, String name) {
      return new TemplateKey(apiVersion, kind, namespace, name);
    }

    public static TemplateKey of(JsonNode obj) {
      return new TemplateKey(
          Meta.apiVersion(obj), Meta.kind(obj), Meta.namespace(obj), Meta.name(obj));
    }

    public static TemplateKey parse(String key) {
      String[] p = key.split("\\|", -1);
      return new TemplateKey(p[0], p[1], p[2], p[3]);
    }

    @Override
    public String toString() {
      return apiVersion + "|" + kind + "|" + namespace + "|" + name;
    }
  }
}
