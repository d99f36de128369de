package dev.meridian.members;

import java.util.Objects;

/**
 * What a watch covers: one kind, in one namespace or in all of them.
 *
 * @param namespace the namespace, or empty for all namespaces (and for cluster-scoped kinds)
 */
public record WatchTarget(String apiVersion, String kind, String namespace) {

  public WatchTarget {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
  }

  public static WatchTarget allNamespaces(String apiVersion, String kind) {
    return new WatchTarget(apiVersion, kind, "");
  }

  public static WatchTarget inNamespace(String apiVersion, String kind, String namespace) {
    return new WatchTarget(apiVersion, kind, namespace);
  }

  @Override
  public String toString() {
    return kind + "." + apiVersion + (namespace.isEmpty() ? "" : " in " + namespace);
  }
}
