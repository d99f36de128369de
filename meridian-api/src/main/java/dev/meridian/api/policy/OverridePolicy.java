package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ObjectMeta;
import dev.meridian.api.ResourceTypes;
import java.util.List;
import java.util.Map;

/**
 * An OverridePolicy ({@code policy.meridian.dev/v1alpha1}, namespaced): changes applied to the
 * selected templates on their way to the clusters each rule targets. Field names are the schema's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OverridePolicy(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

  public static final String API_VERSION =
      ResourceTypes.POLICY + "/" + ResourceTypes.MERIDIAN_VERSION;
  public static final String KIND = "OverridePolicy";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(List<ResourceSelector> resourceSelectors, List<OverrideRule> overrideRules) {
    public Spec {
      resourceSelectors = resourceSelectors == null ? List.of() : List.copyOf(resourceSelectors);
      overrideRules = overrideRules == null ? List.of() : List.copyOf(overrideRules);
    }
  }

  /**
   * The overriders applied on the clusters {@code targetCluster} matches (every cluster when null).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OverrideRule(ClusterAffinity targetCluster, Overriders overriders) {}

  /** Each kind of change; they apply in the order of the fields. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Overriders(
      List<ImageOverrider> imageOverrider,
      Integer replicas,
      List<EnvOverrider> env,
      List<ArgsOverrider> args,
      List<MapOverrider> labels,
      List<MapOverrider> annotations,
      List<PlaintextOverrider> plaintext) {
    public Overriders {
      imageOverrider = imageOverrider == null ? List.of() : List.copyOf(imageOverrider);
      env = env == null ? List.of() : List.copyOf(env);
      args = args == null ? List.of() : List.copyOf(args);
      labels = labels == null ? List.of() : List.copyOf(labels);
      annotations = annotations == null ? List.of() : List.copyOf(annotations);
      plaintext = plaintext == null ? List.of() : List.copyOf(plaintext);
    }
  }

  /** {@code add}, {@code remove} or {@code replace}. */
  public enum Operator {
    @JsonProperty("add")
    ADD,
    @JsonProperty("remove")
    REMOVE,
    @JsonProperty("replace")
    REPLACE
  }

  /**
   * Changes one component of container images.
   *
   * @param predicate which image: a JSON pointer into the template; null means every container
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ImageOverrider(
      ImageComponent component, Operator operator, String value, Predicate predicate) {}

  public enum ImageComponent {
    Registry,
    Repository,
    Tag
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Predicate(String path) {}

  /** Sets or removes an environment variable, in one container or all ({@code container} null). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EnvOverrider(String container, String name, String value, Operator operator) {}

  /** Adds, removes or replaces container arguments. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ArgsOverrider(String container, Operator operator, List<String> value) {}

  /** Adds, removes or replaces labels or annotations. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record MapOverrider(Operator operator, Map<String, String> value) {}

  /** A JSON patch operation (RFC 6902) on the template. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PlaintextOverrider(String op, String path, String from, JsonNode value) {}
}
