package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ObjectMeta;
import dev.meridian.api.ResourceTypes;
import java.util.List;

/**
 * A guardrail ({@code policy.meridian.dev/v1alpha1}, cluster-scoped): the templates it selects may
 * only ever run in its allowed locations, whatever any other policy says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResidencyPolicy(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

  public static final String API_VERSION =
      ResourceTypes.POLICY + "/" + ResourceTypes.MERIDIAN_VERSION;
  public static final String KIND = "ResidencyPolicy";

  /**
   * @param resourceSelector a label selector on the template's labels (an empty one selects every
   *     template)
   * @param namespaceSelector optionally, a label selector on the labels of the template's namespace
   * @param enforcement null means {@code Deny}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(
      JsonNode resourceSelector,
      JsonNode namespaceSelector,
      AllowedLocations allowedLocations,
      Enforcement enforcement) {

    /** The enforcement, defaulted. */
    public Enforcement enforcementOrDefault() {
      return enforcement == null ? Enforcement.Deny : enforcement;
    }
  }

  /**
   * Where selected templates may run: a cluster must be in one of {@code countries} (when given)
   * and in one of {@code regions} (when given).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AllowedLocations(List<String> countries, List<String> regions) {}

  public enum Enforcement {
    /** Never place elsewhere; report why instead. */
    Deny,
    /** Place as the policy says, but report every placement outside the allowed locations. */
    Audit
  }
}
