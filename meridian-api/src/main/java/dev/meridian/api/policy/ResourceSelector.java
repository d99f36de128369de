package dev.meridian.api.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which templates a policy selects ({@code spec.resourceSelectors[]} of PropagationPolicy,
 * ClusterPropagationPolicy and OverridePolicy). {@code apiVersion} and {@code kind} are required;
 * when {@code name} is set, {@code labelSelector} is ignored.
 *
 * @param labelSelector a Kubernetes label selector object ({@code matchLabels}, {@code
 *     matchExpressions}); read it with {@link dev.meridian.api.LabelSelector#fromJson}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceSelector(
    String apiVersion, String kind, String name, String namespace, JsonNode labelSelector) {}
