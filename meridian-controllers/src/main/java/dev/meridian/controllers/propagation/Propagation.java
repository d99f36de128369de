package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.ObjectClient.ObjectEventType;
import dev.meridian.controllers.fleet.EventRecorder;
import dev.meridian.controllers.fleet.MemberRegistry;
import dev.meridian.controllers.runtime.ControllerRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires propagation: what queues which template or Work. A template's own change, a policy's, a
 * cluster's readiness, labels, allocatable, version or served APIs, a dependency's, and a Work's
 * report each queue the templates they concern; a change in a member queues its Work (through
 * {@link MemberObjects}), and every Work is looked at again each resync period.
 */
public final class Propagation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Propagation.class);
  private static final Set<String> NOT_TEMPLATES =
      Set.of("Namespace", "Event", "CustomResourceDefinition");

  /** Groups whose kinds are the hub's own business, never templates (Karmada's policies). */
  private static final Set<String> NOT_TEMPLATE_GROUPS =
      Set.of(dev.meridian.api.karmada.KarmadaPolicies.GROUP);

  static final int WORK_CONCURRENCY = 96;

  /**
   * Templates rendered at once. A pass writes one durable Work per cluster, one after the other, so
   * it mostly waits for the store's commits: more passes at once fill each group commit.
   */
  static final int TEMPLATE_CONCURRENCY = 16;

  /** Templates whose status is aggregated at once. */
  static final int AGGREGATION_CONCURRENCY = 2;

  /** How long reports from Works are gathered before their template's status is aggregated. */
  static final Duration AGGREGATION_DELAY = Duration.ofMillis(250);

  /**
   * How long changes of clusters' allocatable, version or served APIs are gathered before every
   * template is scheduled again.
   */
  static final Duration STATUS_DELAY = Duration.ofSeconds(1);

  private final ObjectClient objects;
  private final ResourceTypes types;
  private final PropagationController controller;
  private final ControllerRunner templates;
  private final ControllerRunner workRunner;
  private final ControllerRunner aggregations;
  private final ControllerRunner policyStatus;
  private final ControllerRunner karmadaTwins;
  private final MemberObjects memberObjects;
  private final List<AutoCloseable> watches = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Set<String> watchedKinds = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> generations = new ConcurrentHashMap<>();
  private final Map<String, String> readiness = new ConcurrentHashMap<>();

  /** Per cluster, its {@code status.allocatable} as last seen. */
  private final Map<String, String> allocatable = new ConcurrentHashMap<>();

  /** Per cluster, its {@link #versionFacts} as last seen. */
  private final Map<String, String> versions = new ConcurrentHashMap<>();

  /**
   * Per cluster, the Works being deleted whose cleanup in that cluster has not finished (the
   * cluster was unreachable): retried at once when the cluster is Ready again, not after their
   * backoff.
   */
  private final Map<String, Set<String>> terminatingWorks = new ConcurrentHashMap<>();

  public Propagation(
      ObjectClient objects,
      ResourceTypes types,
      PlacementEngine placement,
      MemberRegistry members,
      Duration resync,
      ExecutorService workers,
      ScheduledExecutorService timers,
      Clock clock) {
    this.objects = objects;
    this.types = types;
    this.controller = new PropagationController(objects, types, placement, clock);
    this.templates =
        new ControllerRunner("propagation", controller, workers, timers, TEMPLATE_CONCURRENCY);
    // status aggregation has its own small queue: its cost is bounded however many Works report
    // at once (a key queued many times is aggregated once, with the latest reports), and it
    // never holds up scheduling or applying
    this.aggregations =
        new ControllerRunner("aggregation", controller, workers, timers, AGGREGATION_CONCURRENCY);
    ResourceType works = types.byKind(ResourceTypes.WORK + "/v1alpha1", "Work").orElseThrow();
    ResourceType clusters =
        types.byKind(ResourceTypes.FLEET + "/v1alpha1", "Cluster").orElseThrow();
    // what members hold of applied kinds, by watch; a change there queues its Work
    this.memberObjects = new MemberObjects(key -> workRunner().enqueue(key));
    WorkController workController =
        new WorkController(
            objects,
            works,
            clusters,
            members,
            new EventRecorder(objects, clock, "meridian-propagation"),
            resync,
            memberObjects,
            new WorkResidency(objects, types),
            clock);
    // applying waits on members (a few calls of their API latency each): one Work per cluster
    // in flight, up to 96, so a change reaches 100 clusters in a couple of rounds
    this.workRunner =
        new ControllerRunner("work", workController, workers, timers, WORK_CONCURRENCY);
    watchNewTemplateKinds();
    // kinds defined later by CustomResourceDefinitions become templates too
    watches.add(objects.watch(ResourceTypes.CRD, (type, crd) -> watchNewTemplateKinds()));
    // each policy's status says what its fields resolve to in the fleet of now
    this.policyStatus =
        new ControllerRunner(
            "policy-status",
            new PolicyStatusController(
                objects, types, new EventRecorder(objects, clock, "meridian-policy"), clock),
            workers,
            timers,
            1);
    for (String kind : PolicyStatusController.KINDS) {
      watches.add(
          objects.watch(
              PropagationController.policyType(types, kind),
              (type, p) -> {
                String policyKey = PolicyStatusController.key(p);
                if (!changed("p|" + policyKey, type, p)) {
                  return; // a status write: nothing to place differently
                }
                if (type != ObjectEventType.DELETED) {
                  policyStatus.enqueue(policyKey);
                }
                Set<String> before = selectedKinds;
                if (kind.endsWith("PropagationPolicy")) {
                  recomputeSelectedKinds();
                }
                // kinds no longer selected too: their bindings must go
                Set<String> kinds = new java.util.HashSet<>(before);
                kinds.addAll(selectedKinds);
                enqueueTemplatesOf(kinds, null);
              }));
    }
    // Karmada's policies, kept as Meridian twins (which the watches above then act on)
    ControllerRunner karmada =
        new ControllerRunner("karmada-twins", new KarmadaTwins(objects, types), workers, timers, 1);
    this.karmadaTwins = karmada;
    for (String kind : dev.meridian.api.karmada.KarmadaPolicies.KINDS) {
      ResourceType source =
          types.byKind(dev.meridian.api.karmada.KarmadaPolicies.API_VERSION, kind).orElseThrow();
      watches.add(objects.watch(source, (type, p) -> karmada.enqueue(KarmadaTwins.key(kind, p))));
      watches.add(
          objects.watch(
              PropagationController.policyType(types, kind),
              (type, p) -> {
                if (Meta.labels(p)
                        .containsKey(dev.meridian.api.karmada.KarmadaPolicies.DIALECT_LABEL)
                    || type == ObjectEventType.DELETED) {
                  karmada.enqueue(KarmadaTwins.key(kind, p)); // edited or deleted by hand
                }
              }));
    }
    watches.add(objects.watch(clusters, this::onCluster));
    // Works are large (rendered manifests, per-object status) and written often: their watchers
    // need only the metadata
    watches.add(objects.watchMetadata(works, this::onWork));
    // level-triggered insurance: every template is looked at again now and then, so that a
    // decision that depends on something no event announced is still brought up to date
    Duration templateResync = resync.multipliedBy(TEMPLATE_RESYNC_FACTOR);
    java.util.concurrent.ScheduledFuture<?> periodic =
        timers.scheduleWithFixedDelay(
            () -> {
              try {
                enqueueAllTemplates();
                int dropped = memberObjects.dropIdle(templateResync);
                if (dropped > 0) {
                  LOG.debug("stopped {} member watches of kinds no Work applies any more", dropped);
                }
              } catch (RuntimeException e) {
                LOG.warn("periodic template resync: {}", e.toString());
              }
            },
            templateResync.toMillis(),
            templateResync.toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
    watches.add(() -> periodic.cancel(false));
  }

  /** Templates are resynced this many Work resync periods apart (5 minutes by default). */
  static final int TEMPLATE_RESYNC_FACTOR = 10;

  private synchronized void watchNewTemplateKinds() {
    for (ResourceType t : types.all()) {
      if (t.meridian()
          || NOT_TEMPLATES.contains(t.kind())
          || NOT_TEMPLATE_GROUPS.contains(t.group())
          || !watchedKinds.add(t.apiVersion() + "|" + t.kind())) {
        continue;
      }
      watches.add(objects.watch(t, this::onTemplate));
    }
  }

  /**
   * The kinds some PropagationPolicy or ClusterPropagationPolicy names. A change to a template of
   * another kind cannot change any placement, so it costs nothing (most objects on a hub are such);
   * when a policy changes, every template is looked at again anyway.
   */
  private volatile Set<String> selectedKinds = Set.of();

  private void recomputeSelectedKinds() {
    Set<String> kinds = new java.util.HashSet<>();
    for (String kind : List.of("PropagationPolicy", "ClusterPropagationPolicy")) {
      ResourceType t = PropagationController.policyType(types, kind);
      for (ObjectNode p : objects.list(t, "")) {
        for (JsonNode sel : p.path("spec").path("resourceSelectors")) {
          kinds.add(sel.path("apiVersion").asText() + "|" + sel.path("kind").asText());
        }
      }
    }
    selectedKinds = Set.copyOf(kinds);
  }

  private void onTemplate(ObjectEventType type, ObjectNode obj) {
    String key = PropagationController.TemplateKey.of(obj).toString();
    controller.dependentsOf(key).forEach(templates::enqueue);
    if (!selectedKinds.contains(Meta.apiVersion(obj) + "|" + Meta.kind(obj))) {
      return;
    }
    if (changed("t|" + key, type, obj) || Meta.deleting(obj)) {
      templates.enqueue(key);
    }
  }

  private ControllerRunner workRunner() {
    return workRunner;
  }

  private void onCluster(ObjectEventType type, ObjectNode cluster) {
    String name = Meta.name(cluster);
    if (type == ObjectEventType.DELETED) {
      memberObjects.forget(name);
    }
    String ready = readyStatus(cluster);
    String version = versionFacts(cluster);
    String room = cluster.path("status").path("allocatable").toString();
    boolean deleted = type == ObjectEventType.DELETED;
    String readyBefore = deleted ? readiness.remove(name) : readiness.put(name, ready);
    String versionBefore = deleted ? versions.remove(name) : versions.put(name, version);
    String roomBefore = deleted ? allocatable.remove(name) : allocatable.put(name, room);
    boolean specChanged = changed("c|" + name, type, cluster);
    if (specChanged) {
      // a cluster joined, left or moved: what policies name and allow may have changed
      enqueueAllPoliciesAfter(STATUS_DELAY);
    }
    if (!deleted && !ready.equals(readyBefore)) {
      // the cleanup of Works taken from it while it was unreachable can go on now: it must end
      // before the copy wanted there again can be written (a Work of the same name)
      terminatingWorks.getOrDefault(name, Set.of()).forEach(workRunner::enqueue);
    }
    if (specChanged || !ready.equals(readyBefore)) {
      enqueueAllTemplates(); // placements may change, and unplaced templates may now fit
    } else if (!version.equals(versionBefore)) {
      // an upgrade or a new API: a template the cluster could not take may go there now
      enqueueAllTemplatesAfter(STATUS_DELAY);
    } else if (!room.equals(roomBefore)) {
      // room freed or taken: only templates placed by capacity, or left without room, can move.
      // Allocatable moves with every pod a member starts, so such changes are gathered a while
      controller.capacitySensitive().forEach(k -> templates.enqueueAfter(k, STATUS_DELAY));
    }
  }

  private void enqueueAllPoliciesAfter(Duration delay) {
    for (String kind : PolicyStatusController.KINDS) {
      ResourceType t = PropagationController.policyType(types, kind);
      for (ObjectNode p : objects.list(t, "")) {
        policyStatus.enqueueAfter(PolicyStatusController.key(p), delay);
      }
    }
  }

  private static String readyStatus(ObjectNode cluster) {
    String ready = "";
    for (JsonNode c : cluster.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        ready = c.path("status").asText();
      }
    }
    return ready;
  }

  /**
   * What of a Cluster's status decides which API versions it can take: its Kubernetes version and
   * the group/versions it serves.
   */
  static String versionFacts(ObjectNode cluster) {
    JsonNode status = cluster.path("status");
    return status.path("kubernetesVersion").asText("") + "|" + status.path("apiEnablements");
  }

  private void onWork(ObjectEventType type, ObjectNode work) {
    String key = Meta.namespace(work) + "/" + Meta.name(work);
    if (changed("w|" + key, type, work) || Meta.deleting(work)) {
      workRunner.enqueue(key);
    }
    String cluster = Meta.labels(work).get(WorkController.CLUSTER_LABEL);
    if (cluster != null) {
      if (type == ObjectEventType.DELETED) {
        Set<String> keys = terminatingWorks.get(cluster);
        if (keys != null) {
          keys.remove(key);
        }
      } else if (Meta.deleting(work)) {
        terminatingWorks.computeIfAbsent(cluster, c -> ConcurrentHashMap.newKeySet()).add(key);
      }
    }
    String template = Meta.annotations(work).get(PropagationController.TEMPLATE_ANNOTATION);
    if (template != null && type == ObjectEventType.DELETED) {
      // a Work is gone for good: if its cluster is still (or again) chosen, a pass writes a new
      // one; the pass that chose it again could not, while the old one was being deleted
      templates.enqueue(template);
    }
    if (template != null && type != ObjectEventType.ADDED) {
      // the Work reported back: aggregate, once for the reports of many clusters arriving together
      aggregations.enqueueAfter(PropagationController.AGGREGATE + template, AGGREGATION_DELAY);
    }
  }

  /** Whether an event carries a new, deleted or re-specified object (not just a status write). */
  private boolean changed(String key, ObjectEventType type, ObjectNode obj) {
    if (type == ObjectEventType.DELETED) {
      generations.remove(key);
      return true;
    }
    // labels and annotations count too: they decide which policies and guardrails select it
    long g =
        obj.path("metadata").path("generation").asLong() * 31
            + obj.path("metadata").path("labels").hashCode() * 17L
            + obj.path("metadata").path("annotations").hashCode();
    Long before = generations.put(key, g);
    return type == ObjectEventType.ADDED || before == null || before != g;
  }

  private void enqueueAllTemplates() {
    enqueueTemplatesOf(selectedKinds, null);
  }

  private void enqueueAllTemplatesAfter(Duration delay) {
    enqueueTemplatesOf(selectedKinds, delay);
  }

  /**
   * Queues every template of the given kinds ({@code apiVersion|kind}), after {@code delay} if not
   * null. Templates of kinds no policy selects have no binding to keep up.
   */
  private void enqueueTemplatesOf(Set<String> kinds, Duration delay) {
    for (ResourceType t : types.all()) {
      if (t.meridian()
          || NOT_TEMPLATES.contains(t.kind())
          || NOT_TEMPLATE_GROUPS.contains(t.group())
          || !kinds.contains(t.apiVersion() + "|" + t.kind())) {
        continue;
      }
      for (ObjectNode o : objects.list(t, "")) {
        String key = PropagationController.TemplateKey.of(o).toString();
        if (delay == null) {
          templates.enqueue(key);
        } else {
          templates.enqueueAfter(key, delay);
        }
      }
    }
  }

  /** Whether no pass is queued or running (for tests). */
  public boolean idle() {
    return templates.idle()
        && workRunner.idle()
        && aggregations.idle()
        && policyStatus.idle()
        && karmadaTwins.idle();
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
    templates.close();
    workRunner.close();
    aggregations.close();
    policyStatus.close();
    karmadaTwins.close();
    memberObjects.close();
  }
}
