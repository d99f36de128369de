package dev.meridian.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Kubernetes object metadata, for Meridian's typed kinds. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectMeta(
    String name,
    String namespace,
    String uid,
    String resourceVersion,
    Long generation,
    Map<String, String> labels,
    Map<String, String> annotations,
    String creationTimestamp,
    String deletionTimestamp,
    List<String> finalizers,
    List<OwnerReference> ownerReferences) {

  public ObjectMeta {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    finalizers = finalizers == null ? List.of() : List.copyOf(finalizers);
    ownerReferences = ownerReferences == null ? List.of() : List.copyOf(ownerReferences);
  }

  public static ObjectMeta named(String name) {
    return new ObjectMeta(name, null, null, null, null, null, null, null, null, null, null);
  }

  /** A reference to the object that owns this one. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OwnerReference(
      String apiVersion,
      String kind,
      String name,
      String uid,
      Boolean controller,
      Boolean blockOwnerDeletion) {}
}
