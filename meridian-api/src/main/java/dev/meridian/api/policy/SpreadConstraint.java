package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Spread the placement over at least {@code minGroups} and at most {@code maxGroups} groups of
 * clusters that share a location field ({@code spreadBy}).
 *
 * @param minGroups at least 1; null means 1
 * @param maxGroups null means no limit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpreadConstraint(SpreadBy spreadBy, Integer minGroups, Integer maxGroups) {

  /** The field clusters are grouped by. */
  public enum SpreadBy {
    @JsonProperty("cluster")
    CLUSTER,
    @JsonProperty("region")
    REGION,
    @JsonProperty("zone")
    ZONE,
    @JsonProperty("provider")
    PROVIDER,
    @JsonProperty("country")
    COUNTRY;

    /** The name as written in a policy ({@code region}). */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
