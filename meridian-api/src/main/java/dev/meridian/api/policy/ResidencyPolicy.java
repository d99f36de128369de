package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ObjectMeta;
import java.util.List;

/**
 * A guardrail ({@code policy.meridian.dev/v1alpha1}, cluster-scoped): the templates it selects may
 * only ever run in its allowed locations, whatever any other policy says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResidencyPolicy(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(
      JsonNode resourceSelector,
      JsonNode namespaceSelector,
      AllowedLocations allowedLocations,
      Enforcement enforcement) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AllowedLocations(List<String> countries, List<String> regions) {}

  public enum Enforcement {
    Deny,
    Audit
  }
}
