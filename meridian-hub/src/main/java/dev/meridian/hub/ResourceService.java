package dev.meridian.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.FieldError;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
import dev.meridian.api.ObjectValidator;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.hub.patch.ServerSideApply;
import dev.meridian.store.KeyValue;
import dev.meridian.store.ListResult;
import dev.meridian.store.Precondition;
import dev.meridian.store.PreconditionFailedException;
import dev.meridian.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The hub's object semantics on top of the {@link Store}: Kubernetes rules for create, update,
 * status, patch, delete with finalizers, namespaces and validation. Transport-free, so the REST
 * layer and the controllers share it.
 *
 * <p>Objects are stored as JSON without {@code resourceVersion}; the store's modification revision
 * becomes the {@code resourceVersion} on every read, as kube-apiserver does with etcd.
 *
 * <p>Writes take an optional {@code warnings} consumer: it receives what the {@linkplain
 * #addValidator validators} found doubtful in an object that was nevertheless written (or would be,
 * on a dry run) — the REST layer sends them as {@code Warning} headers.
 */
public final class ResourceService {
  private static final int PATCH_RETRIES = 5;
  private static final Consumer<FieldError> IGNORE_WARNINGS = w -> {};
  private static final char[] RANDOM_CHARS = "bcdfghjklmnpqrstvwxz2456789".toCharArray();

  private final Store store;
  private final ResourceTypes types;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final CustomResources customResources;
  private final NamespaceLifecycle namespaces;
  private final java.util.List<Admission> admissions =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public ResourceService(Store store, ResourceTypes types, Clock clock) {
    this.store = store;
    this.types = types;
    this.clock = clock;
    this.customResources = new CustomResources(types);
    this.namespaces = new NamespaceLifecycle(this, store, types, clock);
  }

  /** Adds a step that every create runs through before validation. */
  public void addAdmission(Admission admission) {
    admissions.add(admission);
  }

  public Store store() {
    return store;
  }

  public ResourceTypes types() {
    return types;
  }

  /** Creates the namespace if missing (used for {@code default} at first start). */
  public void ensureNamespace(String name) {
    namespaces.ensure(name);
  }

  /** Continues the deletion of namespaces marked for deletion; returns how many finished. */
  public int finishTerminatingNamespaces() {
    return namespaces.finishTerminating();
  }

  /** Registers the kinds of the CustomResourceDefinitions already stored. */
  public void loadCustomResources() {
    for (KeyValue kv : store.list(ResourceTypes.CRD.storePrefix()).items()) {
      customResources.register(ResourceCodec.parseStored(kv.value()));
    }
  }

  public static String key(ResourceType type, String namespace, String name) {
    return type.namespaced()
        ? type.storePrefix() + namespace + "/" + name
        : type.storePrefix() + name;
  }

  /** Prefix of all objects of a type in a namespace, or in all namespaces when empty. */
  public static String prefix(ResourceType type, String namespace) {
    return type.namespaced() && !namespace.isEmpty()
        ? type.storePrefix() + namespace + "/"
        : type.storePrefix();
  }

  public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    return store.get(key(type, namespace, name)).map(ResourceService::decode);
  }

  /** An object without its {@code spec}: metadata and status only, cheaper to read. */
  public Optional<ObjectNode> getStatus(ResourceType type, String namespace, String name) {
    return store.get(key(type, namespace, name)).map(kv -> decode(kv, STATUS_FIELDS));
  }

  private static final java.util.Set<String> STATUS_FIELDS =
      java.util.Set.of("apiVersion", "kind", "metadata", "status");

  public ObjectNode getOrThrow(ResourceType type, String namespace, String name) {
    return get(type, namespace, name)
        .orElseThrow(() -> ApiException.notFound(type.qualifiedPlural(), name));
  }

  /** Objects of one type matching the selectors, with the list's revision. */
  public ObjectList list(
      ResourceType type, String namespace, LabelSelector labels, FieldSelector fields) {
    ListResult result = store.list(prefix(type, namespace));
    List<ObjectNode> items = new ArrayList<>();
    for (KeyValue kv : result.items()) {
      ObjectNode obj = decode(kv);
      if (labels.matches(Meta.labels(obj)) && fields.matches(obj)) {
        items.add(obj);
      }
    }
    return new ObjectList(items, result.revision());
  }

  /** A page of objects with the revision it was read at. */
  public record ObjectList(List<ObjectNode> items, long revision) {}

  public ObjectNode create(ResourceType type, String namespace, ObjectNode obj, boolean dryRun) {
    return create(type, namespace, obj, dryRun, IGNORE_WARNINGS);
  }

  /** Creates, telling {@code warnings} what the validators found doubtful once it is created. */
  public ObjectNode create(
      ResourceType type,
      String namespace,
      ObjectNode obj,
      boolean dryRun,
      Consumer<FieldError> warnings) {
    return create(type, namespace, obj, dryRun, warnings, null);
  }

  /**
   * Creates, with {@code fieldManager} (null: none, as the hub's own controllers write) owning the
   * fields it set ({@code metadata.managedFields}, operation {@code Update}).
   */
  public ObjectNode create(
      ResourceType type,
      String namespace,
      ObjectNode obj,
      boolean dryRun,
      Consumer<FieldError> warnings,
      String fieldManager) {
    checkKind(type, obj);
    String ns = resolveNamespace(type, namespace, obj);
    ObjectNode meta = Meta.metadata(obj);
    if (Meta.name(obj).isEmpty() && !meta.path("generateName").asText("").isEmpty()) {
      meta.put("name", meta.path("generateName").asText() + randomSuffix());
    }
    for (Admission a : admissions) {
      obj = a.admitCreate(type, ns, obj, dryRun);
      meta = Meta.metadata(obj);
    }
    List<FieldError> doubts = validate(type, obj, true);

    if (type.namespaced()) {
      namespaces.requireActive(ns);
    }
    String name = Meta.name(obj);
    if (fieldManager != null && fieldManager != APPLIED) {
      obj =
          ServerSideApply.update(
              null,
              obj,
              fieldManager,
              type.apiVersion(),
              dev.meridian.hub.patch.Patches.applySchema(type),
              Instant.now(clock));
      meta = Meta.metadata(obj);
    }
    meta.remove(
        List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
    if (fieldManager == null) {
      meta.remove("managedFields");
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", now());
    meta.put("generation", 1);
    obj.remove("status");
    if (type == ResourceTypes.NAMESPACE) {
      obj.putObject("status").put("phase", "Active");
      NamespaceLifecycle.label(obj);
    }
    if (type.equals(ResourceTypes.CRD)) {
      customResources.check(obj);
    }
    if (dryRun) {
      doubts.forEach(warnings);
      return obj;
    }
    // a CRD's kinds are served before its watch event goes out, so whoever reacts to the event
    // (the propagation controller) finds them
    boolean crd = type.equals(ResourceTypes.CRD);
    if (crd) {
      customResources.register(obj);
    }
    KeyValue kv;
    try {
      kv = store.put(key(type, ns, name), encode(obj), Precondition.ABSENT, 0);
    } catch (PreconditionFailedException e) {
      if (crd) {
        customResources.unregister(obj);
      }
      throw ApiException.alreadyExists(type.qualifiedPlural(), name);
    }
    doubts.forEach(warnings);
    return withVersion(obj, kv.modRevision());
  }

  /** PUT of the main resource: status is kept as stored. */
  public ObjectNode update(
      ResourceType type, String namespace, String name, ObjectNode obj, boolean dryRun) {
    return update(type, namespace, name, obj, dryRun, IGNORE_WARNINGS);
  }

  /** PUT of the main resource, telling {@code warnings} what the validators found doubtful. */
  public ObjectNode update(
      ResourceType type,
      String namespace,
      String name,
      ObjectNode obj,
      boolean dryRun,
      Consumer<FieldError> warnings) {
    return write(type, namespace, name, obj, false, dryRun, warnings, null);
  }

  /** PUT of the main resource by {@code fieldManager}, who comes to own what it changed. */
  public ObjectNode update(
      ResourceType type,
      String namespace,
      String name,
      ObjectNode obj,
      boolean dryRun,
      Consumer<FieldError> warnings,
      String fieldManager) {
    return write(type, namespace, name, obj, false, dryRun, warnings, fieldManager);
  }

  /** PUT of the {@code /status} subresource: only status changes. */
  public ObjectNode updateStatus(
      ResourceType type, String namespace, String name, ObjectNode obj, boolean dryRun) {
    return write(type, namespace, name, obj, true, dryRun, IGNORE_WARNINGS, null);
  }

  /**
   * Applies {@code patch} to the current object and writes the result, retrying on concurrent
   * writes unless the patch itself pins a resourceVersion.
   */
  public ObjectNode patch(
      ResourceType type,
      String namespace,
      String name,
      UnaryOperator<ObjectNode> patch,
      boolean status,
      boolean dryRun) {
    return patch(type, namespace, name, patch, status, dryRun, IGNORE_WARNINGS);
  }

  /**
   * Patches, telling {@code warnings} what the validators found doubtful in the object written
   * (only the attempt that succeeded is told).
   */
  public ObjectNode patch(
      ResourceType type,
      String namespace,
      String name,
      UnaryOperator<ObjectNode> patch,
      boolean status,
      boolean dryRun,
      Consumer<FieldError> warnings) {
    return patch(type, namespace, name, patch, status, dryRun, warnings, null);
  }

  /** Patches as {@code fieldManager}, who comes to own what the patch changed. */
  public ObjectNode patch(
      ResourceType type,
      String namespace,
      String name,
      UnaryOperator<ObjectNode> patch,
      boolean status,
      boolean dryRun,
      Consumer<FieldError> warnings,
      String fieldManager) {
    for (int attempt = 0; ; attempt++) {
      ObjectNode current = getOrThrow(type, namespace, name);
      String currentVersion = Meta.resourceVersion(current);
      ObjectNode patched = patch.apply(current.deepCopy());
      boolean pinned = !Meta.resourceVersion(patched).equals(currentVersion);
      if (!pinned) {
        Meta.metadata(patched).put("resourceVersion", currentVersion);
      }
      try {
        return write(type, namespace, name, patched, status, dryRun, warnings, fieldManager);
      } catch (ApiException e) {
        if (pinned
            || e.code() != 409
            || !"Conflict".equals(e.reason())
            || attempt >= PATCH_RETRIES) {
          throw e;
        }
      }
    }
  }

  private ObjectNode write(
      ResourceType type,
      String namespace,
      String name,
      ObjectNode obj,
      boolean statusOnly,
      boolean dryRun,
      Consumer<FieldError> warnings,
      String fieldManager) {
    checkKind(type, obj);
    String ns = resolveNamespace(type, namespace, obj);
    if (!Meta.name(obj).equals(name)) {
      throw ApiException.badRequest(
          "the name of the object ("
              + Meta.name(obj)
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
    KeyValue currentKv =
        store
            .get(key(type, ns, name))
            .orElseThrow(() -> ApiException.notFound(type.qualifiedPlural(), name));
    ObjectNode current = decode(currentKv);
    String rv = Meta.resourceVersion(obj);
    if (!rv.isEmpty() && !rv.equals(String.valueOf(currentKv.modRevision()))) {
      if (!rv.chars().allMatch(Character::isDigit)) {
        throw ApiException.badRequest("metadata.resourceVersion: invalid value \"" + rv + "\"");
      }
      throw ApiException.conflict(type.qualifiedPlural(), name);
    }
    ObjectNode next;
    if (statusOnly) {
      next = current.deepCopy();
      if (obj.has("status")) {
        next.set("status", obj.get("status"));
      } else {
        next.remove("status");
      }
    } else {
      next = obj.deepCopy();
      if (current.has("status")) {
        next.set("status", current.get("status"));
      } else {
        next.remove("status");
      }
      ObjectNode meta = Meta.metadata(next);
      ObjectNode curMeta = Meta.metadata(current);
      for (String immutable :
          List.of("uid", "creationTimestamp", "deletionTimestamp", "generation")) {
        if (curMeta.has(immutable)) {
          meta.set(immutable, curMeta.get(immutable));
        } else {
          meta.remove(immutable);
        }
      }
      meta.remove("selfLink");
      if (fieldManager == null) {
        // the hub's own controllers: ownership stays as the users' writes left it
        if (curMeta.has("managedFields")) {
          meta.set("managedFields", curMeta.get("managedFields"));
        } else {
          meta.remove("managedFields");
        }
      } else if (fieldManager != APPLIED) {
        String[] who = fieldManager.split("\0", 2);
        next =
            ServerSideApply.update(
                current,
                next,
                who[0],
                who.length > 1 ? who[1] : "",
                type.apiVersion(),
                dev.meridian.hub.patch.Patches.applySchema(type),
                Instant.now(clock));
        meta = Meta.metadata(next);
      }
      if (type == ResourceTypes.NAMESPACE) {
        NamespaceLifecycle.label(next);
      }
      if (!sameDesiredState(current, next)) {
        meta.put("generation", curMeta.path("generation").asLong(1) + 1);
      }
    }
    Meta.metadata(next).remove("resourceVersion");
    // a status write is not judged by the semantic checks: its writer did not write the spec they
    // are about, and a check that turned against the object since (a guardrail added later) must
    // not keep its controller from reporting
    List<FieldError> doubts = validate(type, next, !statusOnly);
    if (statusOnly) {
      doubts = List.of(); // the writer of a status did not write the spec they are about
    }
    if (type.equals(ResourceTypes.CRD)) {
      customResources.check(next);
    }
    if (dryRun) {
      doubts.forEach(warnings);
      return withVersion(next, currentKv.modRevision());
    }
    if (Meta.deleting(next) && !Meta.hasFinalizers(next)) {
      // the last finalizer is gone: the pending delete completes now
      try {
        store.delete(key(type, ns, name), Precondition.modRevision(currentKv.modRevision()));
      } catch (PreconditionFailedException e) {
        throw ApiException.conflict(type.qualifiedPlural(), name);
      }
      afterDelete(type, next);
      return withVersion(next, currentKv.modRevision());
    }
    if (type.equals(ResourceTypes.CRD)) {
      customResources.register(next); // before the event, as on create
    }
    KeyValue kv;
    try {
      kv =
          store.put(
              key(type, ns, name),
              encode(next),
              Precondition.modRevision(currentKv.modRevision()),
              0);
    } catch (PreconditionFailedException e) {
      throw ApiException.conflict(type.qualifiedPlural(), name);
    }
    doubts.forEach(warnings);
    return withVersion(next, kv.modRevision());
  }

  /**
   * The field manager of a write to a subresource ({@code scale}), for the methods that take a
   * {@code fieldManager}: its entry says {@code subresource: scale}, as kube-apiserver writes it.
   */
  public static String onSubresource(String fieldManager, String subresource) {
    return fieldManager + "\0" + subresource;
  }

  /** What {@link #apply} stored, and whether it created the object (201, not 200). */
  public record Applied(ObjectNode object, boolean created) {}

  /** Marks a write whose managed fields {@link #apply} computed already. */
  private static final String APPLIED = new String("(applied)");

  /**
   * Server-side apply ({@code application/apply-patch+yaml}) of {@code config} by {@code
   * fieldManager}: creates the object when it does not exist; see {@link ServerSideApply}.
   *
   * @return the object as stored, and whether the apply created it
   * @throws ApiException 409 on conflicts with other field managers unless {@code force}
   */
  public Applied apply(
      ResourceType type,
      String namespace,
      String name,
      ObjectNode config,
      String fieldManager,
      boolean force,
      boolean dryRun,
      Consumer<FieldError> warnings) {
    if (fieldManager == null || fieldManager.isEmpty()) {
      throw ApiException.invalid(
          "PatchOptions.meta.k8s.io", "", List.of(FieldError.required("fieldManager")));
    }
    checkKind(type, config);
    if (!Meta.name(config).equals(name)) {
      throw ApiException.badRequest(
          "the name of the object ("
              + Meta.name(config)
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
    if (config.path("metadata").has("managedFields")) {
      throw ApiException.badRequest("metadata.managedFields must be nil in an apply configuration");
    }
    for (int attempt = 0; ; attempt++) {
      Optional<ObjectNode> current = get(type, namespace, name);
      String rv = Meta.resourceVersion(config);
      if (!rv.isEmpty() && (current.isEmpty() || !rv.equals(Meta.resourceVersion(current.get())))) {
        throw ApiException.conflict(type.qualifiedPlural(), name);
      }
      ObjectNode live = current.map(ObjectNode::deepCopy).orElse(null);
      ObjectNode result =
          ServerSideApply.apply(
              live,
              config,
              fieldManager,
              force,
              type.apiVersion(),
              dev.meridian.hub.patch.Patches.applySchema(type),
              Instant.now(clock));
      try {
        if (current.isEmpty()) {
          return new Applied(create(type, namespace, result, dryRun, warnings, APPLIED), true);
        }
        Meta.metadata(result).put("resourceVersion", Meta.resourceVersion(current.get()));
        if (ResourceCodec.sameTree(result, current.get())) {
          // nothing changes, not even who owns what: nothing is written
          return new Applied(current.get(), false);
        }
        return new Applied(
            write(type, namespace, name, result, false, dryRun, warnings, APPLIED), false);
      } catch (ApiException e) {
        boolean raced =
            e.code() == 409
                && ("Conflict".equals(e.reason()) || "AlreadyExists".equals(e.reason()));
        if (!rv.isEmpty() || !raced || attempt >= PATCH_RETRIES) {
          throw e;
        }
      }
    }
  }

  /**
   * Deletes an object; with finalizers it is only marked ({@code deletionTimestamp}) and goes when
   * the last finalizer is removed.
   *
   * @param preconditionVersion the resourceVersion the caller expects, or empty
   * @return the deleted (or marked) object
   */
  public ObjectNode delete(
      ResourceType type,
      String namespace,
      String name,
      String preconditionVersion,
      boolean dryRun) {
    return delete(type, namespace, name, new DeleteOptions(preconditionVersion, "", "", dryRun));
  }

  /** Deletes an object as {@code options} say; see {@link DeleteOptions}. */
  public ObjectNode delete(
      ResourceType type, String namespace, String name, DeleteOptions options) {
    String preconditionVersion = options.resourceVersion();
    // without a precondition, a write that lands between the read and the delete (a controller
    // updating the status, say) is no conflict of the caller's: try again, as kube-apiserver does
    for (int attempt = 0; ; attempt++) {
      try {
        return deleteOnce(type, namespace, name, options);
      } catch (ApiException e) {
        if (!preconditionVersion.isEmpty()
            || !options.uid().isEmpty()
            || e.code() != 409
            || !"Conflict".equals(e.reason())
            || attempt >= PATCH_RETRIES) {
          throw e;
        }
      }
    }
  }

  private ObjectNode deleteOnce(
      ResourceType type, String namespace, String name, DeleteOptions options) {
    String preconditionVersion = options.resourceVersion();
    boolean dryRun = options.dryRun();
    String ns = type.namespaced() ? namespace : "";
    if (type == ResourceTypes.NAMESPACE
        && (name.equals("default") || name.startsWith("meridian-system"))) {
      throw ApiException.forbidden(
          "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
    }
    KeyValue currentKv =
        store
            .get(key(type, ns, name))
            .orElseThrow(() -> ApiException.notFound(type.qualifiedPlural(), name));
    if (!preconditionVersion.isEmpty()
        && !preconditionVersion.equals(String.valueOf(currentKv.modRevision()))) {
      throw ApiException.conflict(type.qualifiedPlural(), name);
    }
    ObjectNode current = decode(currentKv);
    String uid = Meta.metadata(current).path("uid").asText("");
    if (!options.uid().isEmpty() && !options.uid().equals(uid)) {
      throw ApiException.conflictMessage(
          "Precondition failed: UID in precondition: "
              + options.uid()
              + ", UID in object meta: "
              + uid);
    }
    if (dryRun) {
      return current;
    }
    if (type == ResourceTypes.NAMESPACE) {
      return namespaces.delete(name, currentKv, current);
    }
    String cascade =
        DeletePropagation.finalizer(store, types, type, current, options.propagationPolicy());
    if (cascade != null && !Meta.deleting(current)) {
      // the propagation controller removes it once the members' copies are handled
      ArrayNode finalizers = Meta.metadata(current).withArray("finalizers");
      boolean present = false;
      for (JsonNode f : finalizers) {
        present |= f.asText().equals(cascade);
      }
      if (!present) {
        finalizers.add(cascade);
      }
    }
    if (Meta.hasFinalizers(current)) {
      if (Meta.deleting(current)) {
        return current;
      }
      Meta.metadata(current).put("deletionTimestamp", now());
      // as kube-apiserver: the mark is a change of the object's desired state
      JsonNode generation = Meta.metadata(current).path("generation");
      if (generation.isNumber() && generation.asLong() > 0) {
        Meta.metadata(current).put("generation", generation.asLong() + 1);
      }
      Meta.metadata(current).remove("resourceVersion");
      try {
        KeyValue kv =
            store.put(
                key(type, ns, name),
                encode(current),
                Precondition.modRevision(currentKv.modRevision()),
                0);
        return withVersion(current, kv.modRevision());
      } catch (PreconditionFailedException e) {
        throw ApiException.conflict(type.qualifiedPlural(), name);
      }
    }
    try {
      store.delete(key(type, ns, name), Precondition.modRevision(currentKv.modRevision()));
    } catch (PreconditionFailedException e) {
      throw ApiException.conflict(type.qualifiedPlural(), name);
    }
    afterDelete(type, current);
    return current;
  }

  /**
   * Deletes Events last seen more than {@code ttl} ago, as kube-apiserver's {@code --event-ttl}
   * does; see {@link EventExpiry}.
   */
  public int expireEvents(java.time.Duration ttl) {
    return EventExpiry.expire(store, Instant.now(clock).minus(ttl));
  }

  private void afterDelete(ResourceType type, ObjectNode obj) {
    if (type.equals(ResourceTypes.CRD)) {
      customResources.unregister(obj);
    }
  }

  private String resolveNamespace(ResourceType type, String pathNamespace, ObjectNode obj) {
    ObjectNode meta = Meta.metadata(obj);
    if (!type.namespaced()) {
      // as kube-apiserver: a namespace on a cluster-scoped object is meaningless and dropped
      meta.remove("namespace");
      return "";
    }
    String bodyNs = Meta.namespace(obj);
    if (pathNamespace.isEmpty()) {
      throw ApiException.badRequest(
          type.kind()
              + " is namespaced: the request must name a namespace (/namespaces/NS/"
              + type.plural()
              + ")");
    }
    if (!bodyNs.isEmpty() && !bodyNs.equals(pathNamespace)) {
      throw ApiException.badRequest(
          "the namespace of the provided object ("
              + bodyNs
              + ") does not match the namespace sent on the request ("
              + pathNamespace
              + ")");
    }
    meta.put("namespace", pathNamespace);
    return pathNamespace;
  }

  private void checkKind(ResourceType type, ObjectNode obj) {
    String apiVersion = Meta.apiVersion(obj);
    String kind = Meta.kind(obj);
    if (apiVersion.isEmpty() && kind.isEmpty()) {
      obj.put("apiVersion", type.apiVersion());
      obj.put("kind", type.kind());
      return;
    }
    if (!kind.equals(type.kind()) || !apiVersion.equals(type.apiVersion())) {
      throw ApiException.badRequest(
          "the object's kind "
              + (apiVersion.isEmpty() ? "" : apiVersion + "/")
              + kind
              + " does not match the resource "
              + type.qualifiedPlural()
              + " ("
              + type.apiVersion()
              + "/"
              + type.kind()
              + ")");
    }
  }

  /** A check beyond the schema, run on every create and update of a kind it cares about. */
  @FunctionalInterface
  public interface SemanticValidator {
    Findings validate(ResourceType type, ObjectNode obj);
  }

  /**
   * What a {@link SemanticValidator} found: {@code errors} reject the write (422 Invalid), {@code
   * warnings} let it through and are told to the writer.
   */
  public record Findings(List<FieldError> errors, List<FieldError> warnings) {
    public static final Findings NONE = new Findings(List.of(), List.of());

    public Findings {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }
  }

  private final java.util.List<SemanticValidator> semanticValidators =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public void addValidator(SemanticValidator v) {
    semanticValidators.add(v);
  }

  /** Throws 422 on errors; returns the warnings of an object that may be written. */
  private List<FieldError> validate(ResourceType type, ObjectNode obj, boolean semantic) {
    List<FieldError> errors = ObjectValidator.validate(obj, type);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(type.kind(), Meta.name(obj), errors);
    }
    if (!semantic) {
      return List.of();
    }
    errors = new ArrayList<>();
    List<FieldError> warnings = new ArrayList<>();
    for (SemanticValidator v : semanticValidators) {
      Findings f = v.validate(type, obj);
      errors.addAll(f.errors());
      warnings.addAll(f.warnings());
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid(type.kind(), Meta.name(obj), errors);
    }
    return warnings;
  }

  /** Whether two objects want the same thing: everything but metadata and status equal. */
  private static boolean sameDesiredState(ObjectNode a, ObjectNode b) {
    ObjectNode x = a.deepCopy();
    ObjectNode y = b.deepCopy();
    for (ObjectNode o : List.of(x, y)) {
      o.remove(List.of("metadata", "status"));
    }
    return ResourceCodec.sameTree(x, y); // numbers by value: 3L from a controller is 3
  }

  private String randomSuffix() {
    char[] c = new char[5];
    for (int i = 0; i < c.length; i++) {
      c[i] = RANDOM_CHARS[random.nextInt(RANDOM_CHARS.length)];
    }
    return new String(c);
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static byte[] encode(ObjectNode obj) {
    return ResourceCodec.toJsonBytes(obj);
  }

  /** The stored object with its resourceVersion set from the store's revision. */
  public static ObjectNode decode(KeyValue kv) {
    return withVersion(ResourceCodec.parseStored(kv.value()), kv.modRevision());
  }

  /** Only the named top-level fields of a stored object (the rest is not even parsed). */
  public static ObjectNode decode(KeyValue kv, java.util.Set<String> fields) {
    return withVersion(ResourceCodec.parseStoredFields(kv.value(), fields), kv.modRevision());
  }

  static ObjectNode withVersion(ObjectNode obj, long revision) {
    ObjectNode meta = Meta.metadata(obj);
    // keep resourceVersion right after the fields kubectl shows first
    meta.put("resourceVersion", String.valueOf(revision));
    return obj;
  }

  /** An array helper for callers that build lists. */
  static ArrayNode items(List<ObjectNode> objects) {
    ArrayNode arr = ResourceCodec.newArray();
    objects.forEach(arr::add);
    return arr;
  }
}
