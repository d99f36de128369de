package dev.meridian.members;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.Meta;
import java.util.Objects;

/**
 * Names one object on a member.
 *
 * @param namespace empty for cluster-scoped kinds, or for the member's default namespace
 */
public record ResourceRef(String apiVersion, String kind, String namespace, String name) {

  public ResourceRef {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
  }

  /** The reference of an object or manifest. */
  public static ResourceRef of(JsonNode object) {
    return new ResourceRef(
        Meta.apiVersion(object), Meta.kind(object), Meta.namespace(object), Meta.name(object));
  }

  /** The API group, empty for the core group. */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public String version() {
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }

  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
