package dev.meridian.members.simulated;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.members.ApplyResult;
import dev.meridian.members.Manifests;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.MemberEventListener;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.ProbeResult;
import dev.meridian.members.ResourceAmounts;
import dev.meridian.members.ResourceRef;
import dev.meridian.members.WatchTarget;
import dev.meridian.members.simulated.WorkloadSimulation.Workload;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A cluster simulated inside the hub: an in-memory object store that answers like an API server
 * (server-side apply, validation messages, resource versions, generations), workloads that become
 * ready as capacity allows, and injected latency and failures. Every probe says {@code simulated}.
 *
 * <p>Each call first waits the API latency on the caller's thread, as a network round trip would,
 * then works under this cluster's own lock; no lock is held while waiting, and nothing is shared
 * with other clusters but the scheduler.
 */
public final class SimulatedMember implements MemberCluster {
  public static final String VERSION = "v1.37.2-sim";

  private static final List<String> INITIAL_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");
  private static final List<String> UNDELETABLE_NAMESPACES =
      List.of("default", "kube-system", "kube-public");

  private final String name;
  private final ResourceAmounts capacity;
  private final int apiLatencyMs;
  private final String region;
  private final String zone;
  private final SimulatedMembers.Options options;
  private final ScheduledExecutorService scheduler;
  private final Consumer<SimulatedMember> onClose;
  // the HTTP servers behind Services ({@code servePods}), or null; guarded by lock
  private final PodServers pods;
  private boolean servingSync; // guarded by lock: a sync in progress writes EndpointSlices

  private final Object lock = new Object();
  // guarded by lock; stored objects are never modified, only replaced
  private final Map<String, ObjectNode> objects = new HashMap<>();
  private final SimulatedKinds kinds = new SimulatedKinds();
  private final WorkloadSimulation workloads = new WorkloadSimulation();
  private final List<SimulatedWatch> watches = new ArrayList<>(2);
  private long revision = 1000;
  private int nextServiceIp = 10;
  private int nextNodePort = 30000;

  private volatile boolean failed;
  private volatile double slowFactor = 1;
  private volatile boolean closed;

  SimulatedMember(
      String name,
      ResourceAmounts capacity,
      int apiLatencyMs,
      String region,
      String zone,
      SimulatedMembers.Options options,
      ScheduledExecutorService scheduler,
      Executor podRequests,
      Consumer<SimulatedMember> onClose) {
    this.name = name;
    this.capacity = capacity;
    this.apiLatencyMs = apiLatencyMs;
    this.region = region;
    this.zone = zone;
    this.options = options;
    this.scheduler = scheduler;
    this.onClose = onClose;
    this.pods = podRequests == null ? null : new PodServers(name, region, podRequests);
    synchronized (lock) {
      for (String ns : INITIAL_NAMESPACES) {
        ObjectNode n = ResourceCodec.newObject().put("apiVersion", "v1").put("kind", "Namespace");
        Meta.metadata(n).put("name", ns);
        write(type("v1", "Namespace"), n, null);
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  // ---- failure and latency injection

  /** From now on every call fails as if the cluster were unreachable; watches see nothing. */
  public void fail() {
    failed = true;
    if (pods != null) {
      synchronized (lock) {
        pods.pause();
      }
    }
  }

  /** Reachable again; watches catch up on what changed meanwhile. */
  public void recover() {
    synchronized (lock) {
      failed = false;
      if (pods != null) {
        pods.resume();
        syncServing(); // a server that could not bind before has a port now
      }
      for (SimulatedWatch w : watches) {
        w.resync(matching(w));
      }
    }
  }

  /** Multiplies the API latency by {@code factor} (1 for normal speed). */
  public void slow(double factor) {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("factor must be positive");
    }
    slowFactor = factor;
  }

  public boolean isFailed() {
    return failed;
  }

  public ResourceAmounts capacity() {
    return capacity;
  }

  /** What the pods placed on this cluster ask for. */
  public ResourceAmounts used() {
    synchronized (lock) {
      return workloads.used();
    }
  }

  long latencyNanos() {
    return (long) (apiLatencyMs * slowFactor * 1_000_000L);
  }

  /** A round trip: waits the latency, or fails as an unreachable or too slow cluster would. */
  private void roundTrip() {
    if (closed) {
      throw MemberException.closed(name);
    }
    long latency = latencyNanos();
    long timeout = options.timeouts().request().toNanos();
    if (failed) {
      pause(Math.min(latency, timeout));
      throw MemberException.unreachable(
          name, "cluster " + name + " is unreachable (simulated failure)", null);
    }
    if (latency > timeout) {
      pause(timeout);
      throw MemberException.unreachable(
          name,
          "cannot reach simulated cluster "
              + name
              + ": timed out after "
              + options.timeouts().request().toMillis()
              + " ms",
          null);
    }
    pause(latency);
    if (closed) {
      throw MemberException.closed(name);
    }
  }

  private void pause(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw MemberException.unreachable(name, "interrupted while calling " + name, null);
      }
    }
  }

  // ---- the API

  @Override
  public ApplyResult apply(ObjectNode manifest) {
    ObjectNode body = Manifests.forApply(name, manifest);
    roundTrip();
    synchronized (lock) {
      ResourceType type = type(Meta.apiVersion(body), Meta.kind(body));
      ObjectNode meta = Meta.metadata(body);
      if (type.namespaced()) {
        String ns = Meta.namespace(body).isEmpty() ? "default" : Meta.namespace(body);
        meta.put("namespace", ns);
        if (!objects.containsKey(key("", "Namespace", "", ns))) {
          throw MemberException.rejected(name, 404, "namespaces \"" + ns + "\" not found");
        }
      } else {
        meta.remove("namespace");
      }
      String key = key(type.group(), type.kind(), Meta.namespace(body), Meta.name(body));
      ObjectNode existing = objects.get(key);
      List<String> errors = SimulatedValidation.validate(type, body);
      if (existing != null) {
        errors.addAll(SimulatedValidation.immutable(type, existing, body));
      }
      String invalid = SimulatedValidation.invalid(type, Meta.name(body), errors);
      if (invalid != null) {
        throw MemberException.rejected(name, 422, invalid);
      }
      return new ApplyResult(write(type, body, existing).deepCopy());
    }
  }

  @Override
  public boolean delete(ResourceRef ref) {
    roundTrip();
    synchronized (lock) {
      Optional<ResourceType> type = kinds.find(ref.apiVersion(), ref.kind());
      if (type.isEmpty()) {
        return false;
      }
      String ns = type.get().namespaced() ? namespaceOrDefault(ref.namespace()) : "";
      String key = key(type.get().group(), type.get().kind(), ns, ref.name());
      ObjectNode existing = objects.get(key);
      if (existing == null) {
        return false;
      }
      if (ref.group().isEmpty()
          && ref.kind().equals("Namespace")
          && UNDELETABLE_NAMESPACES.contains(ref.name())) {
        throw MemberException.rejected(
            name,
            403,
            "namespaces \"" + ref.name() + "\" is forbidden: this namespace may not be deleted");
      }
      remove(key, existing);
      if (ref.group().isEmpty() && ref.kind().equals("Namespace")) {
        // what the namespace controller does once the namespace terminates
        for (Map.Entry<String, ObjectNode> e : List.copyOf(objects.entrySet())) {
          if (Meta.namespace(e.getValue()).equals(ref.name())) {
            remove(e.getKey(), e.getValue());
          }
        }
      } else if (ref.group().equals("apiextensions.k8s.io")) {
        for (ResourceType gone : kinds.undefine(ref.name())) {
          for (Map.Entry<String, ObjectNode> e : List.copyOf(objects.entrySet())) {
            if (e.getKey().startsWith(gone.group() + "|" + gone.kind() + "|")) {
              remove(e.getKey(), e.getValue());
            }
          }
        }
      }
      return true;
    }
  }

  @Override
  public Optional<ObjectNode> get(ResourceRef ref) {
    roundTrip();
    synchronized (lock) {
      Optional<ResourceType> type = kinds.find(ref.apiVersion(), ref.kind());
      if (type.isEmpty()) {
        return Optional.empty();
      }
      String ns = type.get().namespaced() ? namespaceOrDefault(ref.namespace()) : "";
      ObjectNode o = objects.get(key(type.get().group(), type.get().kind(), ns, ref.name()));
      return Optional.ofNullable(o).map(ObjectNode::deepCopy);
    }
  }

  @Override
  public MemberWatch watch(WatchTarget target, MemberEventListener listener) {
    if (closed) {
      throw MemberException.closed(name);
    }
    SimulatedWatch w = new SimulatedWatch(this, target, listener, scheduler);
    synchronized (lock) {
      watches.add(w);
      if (kinds.find(target.apiVersion(), target.kind()).isEmpty()) {
        // as a real informer: it reports the unknown kind and lists once a CRD defines it
        MemberException unknown =
            MemberException.rejected(
                name,
                404,
                "no matches for kind \""
                    + target.kind()
                    + "\" in version \""
                    + target.apiVersion()
                    + "\"");
        scheduler.execute(() -> listener.onError(unknown));
      } else {
        // the initial list; if the cluster is down it arrives on recover()
        w.resync(matching(w));
      }
    }
    return w;
  }

  @Override
  public ProbeResult probe() {
    long start = System.nanoTime();
    roundTrip();
    Duration latency = Duration.ofNanos(Math.max(1, System.nanoTime() - start));
    ResourceAmounts used = used();
    return new ProbeResult(
        true,
        "ok",
        VERSION,
        ProbeResult.SIMULATED,
        capacity,
        capacity.minus(used).atLeastZero(),
        nodeCount(),
        latency,
        region,
        zone,
        Instant.now(),
        true,
        null);
  }

  /** One simulated node per 110 pods of capacity, as a kubelet's default allows. */
  private int nodeCount() {
    return (int) Math.max(1, (capacity.pods() + 109) / 110);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<SimulatedWatch> open;
    synchronized (lock) {
      open = List.copyOf(watches);
    }
    open.forEach(SimulatedWatch::close);
    if (pods != null) {
      synchronized (lock) {
        pods.close();
      }
    }
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "SimulatedMember[" + name + "]";
  }

  void forget(SimulatedWatch w) {
    synchronized (lock) {
      watches.remove(w);
    }
  }

  // ---- the store (all under lock)

  private static String key(String group, String kind, String ns, String name) {
    return group + "|" + kind + "|" + ns + "|" + name;
  }

  private static String namespaceOrDefault(String ns) {
    return ns == null || ns.isEmpty() ? "default" : ns;
  }

  private ResourceType type(String apiVersion, String kind) {
    return kinds
        .find(apiVersion, kind)
        .orElseThrow(
            () ->
                MemberException.rejected(
                    name,
                    404,
                    "no matches for kind \"" + kind + "\" in version \"" + apiVersion + "\""));
  }

  /** Stores an applied object; returns what is stored. A no-op apply changes nothing. */
  private ObjectNode write(ResourceType type, ObjectNode body, ObjectNode existing) {
    ObjectNode meta = Meta.metadata(body);
    String now = now();
    if (existing == null) {
      meta.put("uid", UUID.randomUUID().toString());
      meta.put("creationTimestamp", now);
    } else {
      meta.put("uid", Meta.uid(existing));
      meta.put("creationTimestamp", existing.path("metadata").path("creationTimestamp").asText());
    }
    ServerDefaults.complete(type, body, existing, this::allocateServiceIp, () -> nextNodePort++);
    boolean hasSpec = body.has("spec");
    boolean workload = WorkloadSimulation.simulates(type.group(), type.kind());
    if (existing != null) {
      if (workload && existing.has("status")) {
        body.set("status", existing.get("status").deepCopy());
      }
      if (sameContent(existing, body)) {
        return existing;
      }
      long gen = existing.path("metadata").path("generation").asLong(0);
      if (hasSpec) {
        meta.put("generation", existing.path("spec").equals(body.path("spec")) ? gen : gen + 1);
      }
    } else if (hasSpec) {
      meta.put("generation", 1);
    }
    meta.put("resourceVersion", Long.toString(++revision));
    String key = key(type.group(), type.kind(), Meta.namespace(body), Meta.name(body));
    objects.put(key, body);
    emit(existing == null ? MemberEvent.Type.ADDED : MemberEvent.Type.MODIFIED, key, body);
    if (type.group().equals("apiextensions.k8s.io")
        && type.kind().equals("CustomResourceDefinition")) {
      kinds.define(body);
      for (SimulatedWatch w : watches) {
        if (!w.isSynced() && kinds.find(w.target().apiVersion(), w.target().kind()).isPresent()) {
          w.resync(matching(w));
        }
      }
    }
    if (workload) {
      Workload w = workloads.applied(key, body);
      reconcile();
      writeStatus(w); // observes the new generation even when no pod moved
    }
    syncServing();
    return body;
  }

  private void remove(String key, ObjectNode existing) {
    if (objects.remove(key) == null) {
      return; // already gone with what went before it (a Service's EndpointSlice)
    }
    emit(MemberEvent.Type.DELETED, key, existing);
    if (workloads.get(key) != null) {
      workloads.removed(key);
      reconcile();
    }
    syncServing();
  }

  // ---- servePods: Services backed by real HTTP servers, reported as EndpointSlices

  static final String SLICE_SUFFIX = "-sim";
  static final String SLICE_MANAGER = "simulated.meridian.dev";

  /**
   * Brings the HTTP servers and their EndpointSlices in line with the Services and workloads: a
   * Service whose selector matches the pod template of a Deployment or StatefulSet in its namespace
   * has a server and a slice {@code NAME-sim}, ready while one of those workloads has a ready pod.
   */
  private void syncServing() {
    if (pods == null || servingSync) {
      return;
    }
    servingSync = true;
    try {
      java.util.Set<String> wanted = new java.util.HashSet<>();
      for (ObjectNode svc : List.copyOf(objects.values())) {
        if (!Meta.kind(svc).equals("Service") || !Meta.apiVersion(svc).equals("v1")) {
          continue;
        }
        Boolean ready = selectedReady(svc);
        if (ready == null) {
          continue;
        }
        String ns = Meta.namespace(svc);
        wanted.add(ns + "/" + Meta.name(svc));
        int port = pods.ensure(ns, Meta.name(svc));
        String key = key("discovery.k8s.io", "EndpointSlice", ns, Meta.name(svc) + SLICE_SUFFIX);
        write(
            type("discovery.k8s.io/v1", "EndpointSlice"),
            slice(svc, port, ready),
            objects.get(key));
      }
      for (String svc : pods.services()) {
        if (!wanted.contains(svc)) {
          pods.remove(svc);
          String[] nsName = svc.split("/", 2);
          String key =
              key("discovery.k8s.io", "EndpointSlice", nsName[0], nsName[1] + SLICE_SUFFIX);
          ObjectNode slice = objects.get(key);
          if (slice != null) {
            remove(key, slice);
          }
        }
      }
    } finally {
      servingSync = false;
    }
  }

  /**
   * Whether a workload the Service selects has a ready pod; null when it selects no simulated
   * workload (then nothing serves it).
   */
  private Boolean selectedReady(ObjectNode svc) {
    com.fasterxml.jackson.databind.JsonNode selector = svc.path("spec").path("selector");
    if (!selector.isObject() || selector.isEmpty()) {
      return null;
    }
    Boolean ready = null;
    for (Map.Entry<String, ObjectNode> e : objects.entrySet()) {
      ObjectNode o = e.getValue();
      if (!Meta.namespace(o).equals(Meta.namespace(svc))
          || !Meta.apiVersion(o).equals("apps/v1")
          || !(Meta.kind(o).equals("Deployment") || Meta.kind(o).equals("StatefulSet"))) {
        continue;
      }
      com.fasterxml.jackson.databind.JsonNode labels =
          o.path("spec").path("template").path("metadata").path("labels");
      boolean selects = true;
      for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> want :
          selector.properties()) {
        selects &= labels.path(want.getKey()).asText("\0").equals(want.getValue().asText());
      }
      if (selects) {
        Workload w = workloads.get(e.getKey());
        ready = Boolean.TRUE.equals(ready) || (w != null && w.ready > 0);
      }
    }
    return ready;
  }

  private static ObjectNode slice(ObjectNode svc, int port, boolean ready) {
    ObjectNode s =
        ResourceCodec.newObject()
            .put("apiVersion", "discovery.k8s.io/v1")
            .put("kind", "EndpointSlice");
    ObjectNode meta = Meta.metadata(s);
    meta.put("name", Meta.name(svc) + SLICE_SUFFIX).put("namespace", Meta.namespace(svc));
    meta.putObject("labels")
        .put("kubernetes.io/service-name", Meta.name(svc))
        .put("endpointslice.kubernetes.io/managed-by", SLICE_MANAGER);
    s.put("addressType", "IPv4");
    com.fasterxml.jackson.databind.node.ArrayNode endpoints = s.putArray("endpoints");
    if (port > 0) {
      ObjectNode ep = endpoints.addObject();
      ep.putArray("addresses").add("127.0.0.1");
      ep.putObject("conditions").put("ready", ready);
    }
    com.fasterxml.jackson.databind.node.ArrayNode ports = s.putArray("ports");
    for (com.fasterxml.jackson.databind.JsonNode p : svc.path("spec").path("ports")) {
      ports
          .addObject()
          .put("name", p.path("name").asText(""))
          .put("port", port)
          .put("protocol", p.path("protocol").asText("TCP"));
    }
    return s;
  }

  /** Re-places every workload's pods and writes the statuses that changed. */
  private void reconcile() {
    List<Workload> changed = workloads.place(capacity);
    for (Workload w : changed) {
      writeStatus(w);
    }
    scheduleStarts();
  }

  private void scheduleStarts() {
    for (String key : List.copyOf(objects.keySet())) {
      Workload w = workloads.get(key);
      if (w != null) {
        scheduleStart(w);
      }
    }
  }

  private void scheduleStart(Workload w) {
    if (WorkloadSimulation.needsStart(w)) {
      w.starting = true;
      long delay = (w.job ? options.jobDuration() : options.startDelay()).toNanos();
      try {
        scheduler.schedule(() -> start(w), delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        w.starting = false; // the factory is closed: the simulation stands still
      }
    }
  }

  private void start(Workload w) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (workloads.start(w)) {
        writeStatus(w);
      }
      // a start changes this workload only: no other one needs a start it did not need before
      scheduleStart(w);
    }
  }

  /** A status write by the cluster's controllers: a new resourceVersion if the status changed. */
  private void writeStatus(Workload w) {
    ObjectNode current = objects.get(w.key);
    if (current == null) {
      return;
    }
    ObjectNode next = WorkloadSimulation.withStatus(current, w, now());
    if (current.path("status").equals(next.path("status"))) {
      return;
    }
    Meta.metadata(next).put("resourceVersion", Long.toString(++revision));
    objects.put(w.key, next);
    emit(MemberEvent.Type.MODIFIED, w.key, next);
    syncServing(); // ready pods decide whether the Service's endpoint is ready
  }

  /** Equal apart from what the server bumps on every write. */
  private static boolean sameContent(ObjectNode existing, ObjectNode next) {
    ObjectNode a = existing.deepCopy();
    ObjectNode b = next.deepCopy();
    for (ObjectNode o : List.of(a, b)) {
      Meta.metadata(o).remove(List.of("resourceVersion", "generation"));
    }
    return a.equals(b);
  }

  private String allocateServiceIp() {
    int n = nextServiceIp++;
    return "10.96." + ((n >> 8) & 0xff) + "." + (n & 0xff);
  }

  private void emit(MemberEvent.Type type, String key, ObjectNode obj) {
    if (watches.isEmpty()) {
      return;
    }
    String[] parts = key.split("\\|", -1);
    for (SimulatedWatch w : watches) {
      if (w.matches(parts[0], parts[1], parts[2])) {
        w.enqueue(type, key, obj);
      }
    }
  }

  private Map<String, ObjectNode> matching(SimulatedWatch w) {
    Map<String, ObjectNode> out = new HashMap<>();
    for (Map.Entry<String, ObjectNode> e : objects.entrySet()) {
      String[] parts = e.getKey().split("\\|", -1);
      if (w.matches(parts[0], parts[1], parts[2])) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
