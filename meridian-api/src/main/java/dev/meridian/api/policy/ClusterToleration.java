package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Lets a policy place templates on clusters with a matching taint, with Kubernetes' semantics:
 * operator {@code Equal} (the default) matches key and value, {@code Exists} the key alone (an
 * empty key with {@code Exists} matches every taint); an empty effect matches every effect.
 *
 * @param effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}; null for all
 * @param tolerationSeconds for {@code NoExecute}: how long a cluster that holds the template keeps
 *     it once the taint was added ({@code timeAdded}); no new placement goes to such a cluster.
 *     Null: tolerated for ever. {@code meridian plan}, which has no clock, treats it as tolerated
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterToleration(
    String key, Operator operator, String value, String effect, Long tolerationSeconds) {

  public enum Operator {
    Equal,
    Exists
  }
}
