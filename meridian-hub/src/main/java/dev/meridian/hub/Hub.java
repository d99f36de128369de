package dev.meridian.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.karmada.KarmadaPolicies;
import dev.meridian.api.network.GlobalRouteValidator;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.fleet.ClusterHealthController;
import dev.meridian.controllers.fleet.FleetController;
import dev.meridian.controllers.fleet.FleetMembers;
import dev.meridian.controllers.network.GlobalRouteController;
import dev.meridian.controllers.network.HttpRouteController;
import dev.meridian.controllers.propagation.Propagation;
import dev.meridian.controllers.propagation.SchedulerPlacement;
import dev.meridian.controllers.propagation.WorkResidency;
import dev.meridian.hub.internal.ApiHandler;
import dev.meridian.hub.internal.ApiServer;
import dev.meridian.hub.internal.ClusterJoin;
import dev.meridian.hub.internal.Discovery;
import dev.meridian.hub.internal.DurableFiles;
import dev.meridian.hub.internal.EncryptedSecrets;
import dev.meridian.hub.internal.HubObjectClient;
import dev.meridian.hub.internal.HubPki;
import dev.meridian.hub.internal.TokenAuthenticator;
import dev.meridian.members.kubernetes.KubernetesMembers;
import dev.meridian.members.simulated.SimulatedMembers;
import dev.meridian.scheduler.PolicyValidator;
import dev.meridian.store.Store;
import dev.meridian.store.embedded.EmbeddedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running hub: the fleet's API server. Close it to stop. */
public final class Hub implements AutoCloseable {
  /** What the hub says of a Karmada policy: its conversion's causes, then the twin's checks. */
  private static ResourceService.Findings karmadaFindings(
      ResourceService service, ResourceType type, ObjectNode obj) {
    KarmadaPolicies.Conversion c = KarmadaPolicies.convert(obj);
    if (!c.ok()) {
      return new ResourceService.Findings(c.errors(), List.of());
    }
    ResourceType twinType =
        service
            .types()
            .byKind(ResourceTypes.POLICY + "/" + ResourceTypes.MERIDIAN_VERSION, type.kind())
            .orElseThrow();
    ObjectNode twin = c.object();
    Meta.metadata(twin).put("namespace", Meta.namespace(obj));
    List<FieldError> errors = new ArrayList<>();
    List<FieldError> warnings = new ArrayList<>();
    String as = "as Meridian's " + type.kind() + ": ";
    for (FieldError e : dev.meridian.api.ObjectValidator.validate(twin, twinType)) {
      errors.add(new FieldError(e.field(), e.reason(), as + e.message()));
    }
    PolicyValidator.Report report = PolicyValidator.validate(twin, clusterNames(service));
    report
        .errors()
        .forEach(e -> errors.add(new FieldError(e.field(), e.reason(), as + e.message())));
    report
        .warnings()
        .forEach(e -> warnings.add(new FieldError(e.field(), e.reason(), as + e.message())));
    java.util.Optional<ObjectNode> existing =
        service.get(twinType, twinType.namespaced() ? Meta.namespace(obj) : "", Meta.name(obj));
    if (existing.isPresent()
        && !Meta.annotations(existing.get()).containsKey(KarmadaPolicies.ORIGIN_ANNOTATION)) {
      errors.add(
          FieldError.forbidden(
              "metadata.name",
              "a Meridian "
                  + type.kind()
                  + " of this name exists, which this policy's conversion would replace: rename"
                  + " one of them"));
    }
    return new ResourceService.Findings(errors, warnings);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
  public static final String VERSION = "0.1.0";

  /**
   * Worker threads serving requests; writes block on the store's group commit, so more than the
   * cores, but not so many that they crowd out the commit and network threads on a small machine
   * (bench/hub-api measured 64 threads queueing for 2 cores).
   */
  private static final int WORKERS = 8;

  private final HubOptions options;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Store store;
  private final ResourceService service;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService janitor;
  private final ApiServer server;
  private final Path tokenFile;
  private HubPki pki;

  /**
   * At most this many threads are shared by all controllers, made on demand and retired when idle:
   * probes and applies wait on the network. Each controller bounds its own concurrency (health 64,
   * works 96, propagation 16, aggregation 2, policy status 1, global routes 4, HTTP routes 1: 184
   * in all), so the pool never refuses work.
   */
  private static final int CONTROLLER_THREADS = 192;

  private final KubernetesMembers kubernetesMembers;
  private final SimulatedMembers simulatedMembers;
  private final FleetMembers memberRegistry;
  private final ExecutorService controllerWorkers;
  private final FleetController fleet;
  private final Propagation propagation;
  private final HttpRouteController httpRoutes;
  private final GlobalRouteController routes;

  private Hub(HubOptions options) throws IOException {
    this.options = options;
    Path dir = options.dataDir();
    Files.createDirectories(dir);
    this.lockChannel =
        FileChannel.open(
            dir.resolve("hub.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      lockChannel.close();
      throw new IllegalStateException("another hub is already using " + dir);
    }
    this.lock = l;
    this.tokenFile = dir.resolve("admin.token");
    String token = ensureToken(tokenFile);
    Store opened;
    try {
      opened =
          new EncryptedSecrets(
              EmbeddedStore.open(dir.resolve("store")),
              EncryptedSecrets.loadOrCreateKey(dir.resolve("pki").resolve("encryption.key")));

    } catch (RuntimeException e) {
      releaseLock();
      throw e;
    }
    this.store = opened;
    this.service = new ResourceService(store, ResourceTypes.standard(), Clock.systemUTC());
    service.loadCustomResources();
    service.ensureNamespace("default");
    service.ensureNamespace("meridian-system");
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4096),
            r -> {
              Thread t = new Thread(r, "hub-api-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.janitor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hub-timers");
              t.setDaemon(true);
              return t;
            });
    janitor.scheduleWithFixedDelay(this::finishNamespaces, 2, 2, TimeUnit.SECONDS);
    janitor.scheduleWithFixedDelay(this::expireEvents, 1, 1, TimeUnit.MINUTES);
    this.kubernetesMembers = KubernetesMembers.create();
    this.simulatedMembers = SimulatedMembers.create();
    service.addAdmission(new ClusterJoin(service, kubernetesMembers));
    // semantic checks of policies beyond their schema (min > max groups, division on Duplicated...)
    // reject them; warnings (a cluster the fleet does not have) go back as Warning headers
    service.addValidator(
        (type, obj) -> {
          if (!type.meridian() || !type.group().equals(ResourceTypes.POLICY)) {
            return ResourceService.Findings.NONE;
          }
          PolicyValidator.Report report = PolicyValidator.validate(obj, clusterNames(service));
          return new ResourceService.Findings(report.errors(), report.warnings());
        });
    // a Karmada policy is stored only if it converts to Meridian's kind of the same name (and
    // that converted policy is valid): one cause per field Meridian cannot honour
    service.addValidator(
        (type, obj) ->
            type.group().equals(KarmadaPolicies.GROUP) && !Meta.deleting(obj)
                ? karmadaFindings(service, type, obj)
                : ResourceService.Findings.NONE);
    // what a GlobalRoute's schema cannot say (regexes, durations, one redirect or backends per
    // rule)
    service.addValidator(
        (type, obj) ->
            type.meridian()
                    && type.group().equals(ResourceTypes.NETWORK)
                    && type.kind().equals("GlobalRoute")
                ? new ResourceService.Findings(GlobalRouteValidator.validate(obj), List.of())
                : ResourceService.Findings.NONE);
    // a Work (written by hand or edited through the API) whose objects a residency guardrail
    // forbids on its cluster is refused; one being deleted is not judged (its cleanup must go on)
    WorkResidency residency = new WorkResidency(new HubObjectClient(service), service.types());
    service.addValidator(
        (type, obj) -> {
          if (!type.meridian()
              || !type.group().equals(ResourceTypes.WORK)
              || !type.kind().equals("Work")
              || Meta.deleting(obj)) {
            return ResourceService.Findings.NONE;
          }
          List<FieldError> errors = new ArrayList<>();
          for (String v : residency.violations(obj)) {
            errors.add(FieldError.forbidden("spec.manifests", v));
          }
          return new ResourceService.Findings(errors, List.of());
        });
    // a Cluster moved (spec.location) where what runs on it may not be is refused, naming the
    // Works that would be in breach; other changes of a Cluster are not judged here
    service.addValidator(
        (type, obj) -> {
          if (!type.meridian()
              || !type.group().equals(ResourceTypes.FLEET)
              || !type.kind().equals("Cluster")) {
            return ResourceService.Findings.NONE;
          }
          java.util.Optional<com.fasterxml.jackson.databind.node.ObjectNode> current =
              service.get(type, "", Meta.name(obj));
          if (current.isEmpty()
              || current
                  .get()
                  .path("spec")
                  .path("location")
                  .equals(obj.path("spec").path("location"))) {
            return ResourceService.Findings.NONE;
          }
          List<FieldError> errors = new ArrayList<>();
          for (String b : residency.breachesIfStored(obj)) {
            errors.add(
                FieldError.forbidden("spec.location", "would breach a residency guardrail: " + b));
          }
          return new ResourceService.Findings(errors, List.of());
        });
    ApiHandler handler =
        new ApiHandler(
            service,
            new Discovery(service.types(), VERSION),
            new TokenAuthenticator(Set.of(TokenAuthenticator.hash(token))),
            workers);
    ApiServer bound;
    try {
      this.pki = options.plainHttp() ? null : HubPki.ensure(dir, options.host());
      bound = new ApiServer(options.host(), options.port(), options.maxBodyBytes(), pki, handler);
    } catch (RuntimeException e) {
      // nothing may stay behind a failed start: the data directory must be usable again
      janitor.shutdownNow();
      workers.shutdownNow();
      kubernetesMembers.close();
      simulatedMembers.close();
      store.close();
      releaseLock();
      throw e;
    }
    this.server = bound;
    if (pki != null) {
      writeKubeconfig(dir.resolve("kubeconfig"), token);
    }
    // the fleet's loops: member connections, health probes
    ObjectClient objects = new HubObjectClient(service);
    this.memberRegistry =
        new FleetMembers(
            objects,
            service.types().byKind("v1", "Secret").orElseThrow(),
            kubernetesMembers,
            simulatedMembers);
    AtomicInteger c = new AtomicInteger();
    this.controllerWorkers =
        new ThreadPoolExecutor(
            0,
            CONTROLLER_THREADS,
            60,
            TimeUnit.SECONDS,
            new java.util.concurrent.SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "hub-controller-" + c.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.fleet =
        !options.controllers()
            ? null
            : new FleetController(
                objects,
                service.types().byKind(Cluster.API_VERSION, Cluster.KIND).orElseThrow(),
                memberRegistry,
                new ClusterHealthController.Options(options.probeInterval(), options.gracePeriod()),
                controllerWorkers,
                janitor,
                Clock.systemUTC());
    this.propagation =
        !options.controllers()
            ? null
            : new Propagation(
                objects,
                service.types(),
                new SchedulerPlacement(),
                memberRegistry,
                options.resync(),
                controllerWorkers,
                janitor,
                Clock.systemUTC());
    this.httpRoutes =
        !options.controllers()
            ? null
            : new HttpRouteController(
                objects, service.types(), controllerWorkers, janitor, Clock.systemUTC());

    // GlobalRoutes: their backends' endpoints in every member, for the gateways
    this.routes =
        !options.controllers()
            ? null
            : new GlobalRouteController(
                objects,
                service.types(),
                memberRegistry,
                options.resync(),
                controllerWorkers,
                janitor,
                Clock.systemUTC());
    LOG.info("hub listening on {} (data in {})", url(), dir);
  }

  /** Opens the store, writes {@code admin.token} on first start, and starts serving. */
  public static Hub start(HubOptions options) {
    try {
      return new Hub(options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the hub: " + e.getMessage(), e);
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.port();
  }

  /** {@code http://host:port}. */
  public String url() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    }
    return (pki == null ? "http://" : "https://") + host + ":" + port();
  }

  /** The CA certificate that signs the hub's serving certificate, or null with plain HTTP. */
  public Path caFile() {
    return pki == null ? null : pki.caCertificate();
  }

  /** {@code DIR/kubeconfig}: the admin's kubeconfig for kubectl and other Kubernetes clients. */
  public Path kubeconfig() {
    return options.dataDir().resolve("kubeconfig");
  }

  private void writeKubeconfig(Path file, String token) throws IOException {
    String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(pki.caCertificate()));
    String text =
        "apiVersion: v1\nkind: Config\nclusters:\n- name: meridian\n  cluster:\n    server: "
            + url()
            + "\n    certificate-authority-data: "
            + ca
            + "\nusers:\n- name: admin\n  user:\n    token: "
            + token
            + "\ncontexts:\n- name: meridian\n  context: {cluster: meridian, user: admin}\ncurrent-context: meridian\n";
    DurableFiles.write(file, text, DurableFiles.OWNER_ONLY);
  }

  /** The environment a {@code meridian} client needs to talk to this hub as its admin. */
  public java.util.Map<String, String> clientEnvironment() {
    return java.util.Map.of("MERIDIAN_HUB", url(), "MERIDIAN_TOKEN_FILE", tokenFile().toString());
  }

  /** The file holding the admin bearer token. */
  public Path tokenFile() {
    return tokenFile;
  }

  /** The connections to member clusters, for in-process use (tests, diagnostics). */
  public FleetMembers members() {
    return memberRegistry;
  }

  /**
   * The names of the fleet's clusters now: policy writes are rare, so they are listed each time.
   */
  /** How many connections to real clusters the hub has opened (joins included). */
  public long memberClientsBuilt() {
    return kubernetesMembers.clientsBuilt();
  }

  private static Set<String> clusterNames(ResourceService service) {
    Set<String> names = new HashSet<>();
    service
        .types()
        .byKind(Cluster.API_VERSION, Cluster.KIND)
        .ifPresent(
            type ->
                service
                    .list(type, "", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING)
                    .items()
                    .forEach(c -> names.add(Meta.name(c))));
    return names;
  }

  /** The object layer, for in-process controllers. */
  public ResourceService resources() {
    return service;
  }

  /** Events live an hour, as in Kubernetes. */
  static final java.time.Duration EVENT_TTL = java.time.Duration.ofHours(1);

  private void expireEvents() {
    try {
      service.expireEvents(EVENT_TTL);
    } catch (RuntimeException e) {
      LOG.warn("event expiry failed, will retry: {}", e.toString());
    }
  }

  private void finishNamespaces() {
    try {
      service.finishTerminatingNamespaces();
    } catch (RuntimeException e) {
      LOG.warn("namespace cleanup failed, will retry: {}", e.toString());
    }
  }

  /** Reads the admin token, creating it (owner-only) on first start. */
  private static String ensureToken(Path file) throws IOException {
    if (Files.exists(file)) {
      String t = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (t.isEmpty()) {
        throw new IllegalStateException(file + " is empty; delete it to issue a new admin token");
      }
      return t;
    }
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    DurableFiles.write(file, token + "\n", DurableFiles.OWNER_ONLY);
    return token;
  }

  @Override
  public void close() {
    server.close();
    if (httpRoutes != null) {
      httpRoutes.close();
    }
    if (routes != null) {
      routes.close();
    }
    if (propagation != null) {
      propagation.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    memberRegistry.close();
    kubernetesMembers.close();
    simulatedMembers.close();
    controllerWorkers.shutdownNow();
    janitor.shutdownNow();
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
    releaseLock();
  }

  private void releaseLock() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.debug("releasing the data directory lock: {}", e.toString());
    }
  }
}
