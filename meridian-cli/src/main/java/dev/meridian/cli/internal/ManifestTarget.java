package dev.meridian.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A manifest with the kind it resolved to and the namespace it goes in: everything needed to send
 * it. {@link #object()} is the manifest as the hub should receive it.
 */
public record ManifestTarget(Manifest manifest, ResourceType type, String namespace) {

  /**
   * Resolves every manifest before anything is sent. A namespaced object without a namespace goes
   * in {@code namespaceFlag}, else {@code default}; one whose namespace contradicts an explicit
   * {@code -n} is refused, as kubectl does.
   */
  public static List<ManifestTarget> resolve(
      List<Manifest> manifests, KindResolver kinds, String namespaceFlag) {
    List<ManifestTarget> out = new ArrayList<>();
    for (Manifest m : manifests) {
      String apiVersion = Meta.apiVersion(m.object());
      String kind = Meta.kind(m.object());
      ResourceType type =
          kinds
              .forKind(apiVersion, kind)
              .orElseThrow(
                  () ->
                      new CliException(
                          m.where()
                              + ": no matches for kind \""
                              + OneLine.safe(kind)
                              + "\" in version \""
                              + OneLine.safe(apiVersion)
                              + "\""));
      ObjectNames.checkSegment(m.where() + ": name", Meta.name(m.object()));
      String ns = "";
      if (type.namespaced()) {
        String own = Meta.namespace(m.object());
        if (!own.isEmpty() && namespaceFlag != null && !own.equals(namespaceFlag)) {
          throw new CliException(
              m.where()
                  + ": its namespace \""
                  + OneLine.safe(own)
                  + "\" does not match the namespace \""
                  + OneLine.safe(namespaceFlag)
                  + "\" given with -n");
        }
        ns = !own.isEmpty() ? own : namespaceFlag != null ? namespaceFlag : "default";
      }
      if (!ns.isEmpty()) {
        ObjectNames.checkSegment(m.where() + ": namespace", ns);
      }
      out.add(new ManifestTarget(m, type, ns));
    }
    return out;
  }

  /**
   * The order to create in: Namespaces, then CustomResourceDefinitions, then the rest as given, so
   * that one file can hold a namespace and what goes in it. Deleting goes the other way round.
   */
  public static List<ManifestTarget> creationOrder(List<ManifestTarget> targets) {
    List<ManifestTarget> sorted = new ArrayList<>(targets);
    sorted.sort(Comparator.comparingInt(ManifestTarget::rank)); // stable
    return sorted;
  }

  private int rank() {
    return switch (type.kind()) {
      case "Namespace" -> type.group().isEmpty() ? 0 : 2;
      case "CustomResourceDefinition" -> 1;
      default -> 2;
    };
  }

  public String name() {
    return Meta.name(manifest.object());
  }

  public String displayName() {
    return ObjectNames.of(type, name());
  }

  public String objectPath() {
    return type.objectPath(namespace, name());
  }

  public String collectionPath() {
    return type.collectionPath(namespace);
  }

  /**
   * The manifest with its namespace settled (set for namespaced kinds, dropped for cluster-scoped
   * ones) and without the metadata the hub owns, which a manifest exported with {@code -o yaml}
   * still carries.
   */
  public ObjectNode object() {
    ObjectNode copy = manifest.object().deepCopy();
    ObjectNode meta = Meta.metadata(copy);
    ManifestDiff.SERVER_METADATA.forEach(meta::remove);
    if (type.namespaced()) {
      meta.put("namespace", namespace);
    } else {
      meta.remove("namespace");
    }
    return copy;
  }
}
