package dev.meridian.api;

import java.util.List;

/**
 * A kind the hub serves: where it lives in the REST tree and how it is named on the command line.
 *
 * @param group API group, empty for the core group ({@code v1})
 * @param plural the URL segment, e.g. {@code deployments}
 * @param namespaced whether objects live in a namespace
 * @param meridian whether this is one of Meridian's own kinds (validated by schema); otherwise a
 *     resource template kept as written
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    List<String> shortNames,
    boolean namespaced,
    boolean meridian) {

  public ResourceType {
    shortNames = List.copyOf(shortNames);
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The key under which the store keeps objects of this type, before namespace and name. */
  public String storePrefix() {
    return "/registry/" + (group.isEmpty() ? "core" : group) + "/" + plural + "/";
  }

  /** {@code plural.group}, as kubectl names a resource ({@code deployments.apps}). */
  public String qualifiedPlural() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** The URL path of the collection, in {@code namespace} when namespaced. */
  public String collectionPath(String namespace) {
    String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return namespaced && namespace != null && !namespace.isEmpty()
        ? base + "/namespaces/" + namespace + "/" + plural
        : base + "/" + plural;
  }

  public String objectPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + name;
  }
}
