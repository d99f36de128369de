package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.api.karmada.KarmadaPolicies;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.ObjectConflictException;
import dev.meridian.controllers.ObjectNotFoundException;
import dev.meridian.controllers.runtime.Reconciler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps, for each Karmada policy stored on the hub, its Meridian twin of the same kind, namespace
 * and name ({@link KarmadaPolicies}): created and updated from the Karmada object, put back when
 * changed or deleted by hand, and deleted with it. The hub refuses a Karmada policy that does not
 * convert, so every stored one has a twin.
 *
 * <p>Keys: {@code KIND/NAMESPACE/NAME} (namespace empty for cluster-scoped kinds).
 */
final class KarmadaTwins implements Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(KarmadaTwins.class);

  private final ObjectClient objects;
  private final ResourceTypes types;

  KarmadaTwins(ObjectClient objects, ResourceTypes types) {
    this.objects = objects;
    this.types = types;
  }

  static String key(String kind, ObjectNode obj) {
    return kind + "/" + Meta.namespace(obj) + "/" + Meta.name(obj);
  }

  ResourceType karmadaType(String kind) {
    return types.byKind(KarmadaPolicies.API_VERSION, kind).orElseThrow();
  }

  ResourceType meridianType(String kind) {
    return types
        .byKind(ResourceTypes.POLICY + "/" + ResourceTypes.MERIDIAN_VERSION, kind)
        .orElseThrow();
  }

  @Override
  public Duration reconcile(String key) {
    String[] k = key.split("/", 3);
    String kind = k[0];
    String ns = k[1];
    String name = k[2];
    ResourceType twinType = meridianType(kind);
    Optional<ObjectNode> source = objects.get(karmadaType(kind), ns, name);
    Optional<ObjectNode> twin = objects.get(twinType, ns, name);
    boolean ours =
        twin.isPresent()
            && (KarmadaPolicies.API_VERSION + "/" + kind)
                .equals(Meta.annotations(twin.get()).get(KarmadaPolicies.ORIGIN_ANNOTATION));
    if (source.isEmpty() || Meta.deleting(source.get())) {
      if (ours) {
        try {
          objects.delete(twinType, ns, name);
        } catch (ObjectNotFoundException e) {
          // gone already
        }
      }
      return null;
    }
    KarmadaPolicies.Conversion c = KarmadaPolicies.convert(source.get());
    if (!c.ok()) {
      // stored before this version refused it: say so, keep what runs
      LOG.warn(
          "{} {} does not convert: {}", kind, ns.isEmpty() ? name : ns + "/" + name, c.errors());
      return null;
    }
    ObjectNode wanted = c.object();
    if (twin.isEmpty()) {
      try {
        objects.create(twinType, ns, wanted);
      } catch (ObjectConflictException e) {
        return Duration.ofMillis(200); // created meanwhile: look again
      }
      return null;
    }
    if (!ours) {
      // a Meridian policy of that name that Meridian did not convert: left alone (the hub refuses
      // a Karmada policy whose twin would take its place)
      LOG.warn("{} {}: a Meridian {} of that name exists; not replaced", kind, name, kind);
      return null;
    }
    if (ResourceCodec.sameTree(twin.get().path("spec"), wanted.path("spec"))
        && sameMeta(twin.get(), wanted)) {
      return null;
    }
    ObjectNode next = twin.get().deepCopy();
    next.set("spec", wanted.path("spec"));
    for (String f : List.of("labels", "annotations")) {
      Meta.metadata(next).set(f, wanted.path("metadata").path(f));
    }
    try {
      objects.update(twinType, ns, next);
    } catch (ObjectConflictException | ObjectNotFoundException e) {
      return Duration.ofMillis(200);
    }
    return null;
  }

  private static boolean sameMeta(ObjectNode twin, ObjectNode wanted) {
    return ResourceCodec.sameTree(
            twin.path("metadata").path("labels"), wanted.path("metadata").path("labels"))
        && ResourceCodec.sameTree(
            twin.path("metadata").path("annotations"), wanted.path("metadata").path("annotations"));
  }
}
