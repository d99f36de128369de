package dev.meridian.scheduler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.Meta;
import dev.meridian.api.Quantities;
import dev.meridian.scheduler.Resources;
import java.util.List;
import java.util.Set;

/** What a template asks of a cluster: how many replicas, and what one replica requests. */
public final class PodTemplate {
  /** Kinds whose missing {@code spec.replicas} means 1, as the API server defaults it. */
  private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "ReplicaSet");

  private PodTemplate() {}

  /**
   * The template's replicas: {@code spec.replicas} of any kind that has it (CRDs included),
   * defaulted to 1 for Deployments, StatefulSets and ReplicaSets; null for kinds without replicas.
   */
  public static Integer replicas(JsonNode template) {
    JsonNode r = template.path("spec").path("replicas");
    if (r.isIntegralNumber() && r.canConvertToInt()) {
      return Math.max(0, r.intValue());
    }
    if (WORKLOADS.contains(Meta.kind(template)) && r.isMissingNode()) {
      return 1;
    }
    return null;
  }

  /**
   * What one replica requests: the sum over containers (requests, else limits, as the API server
   * defaults them), raised to the largest init container. Unreadable quantities are left out and
   * reported in {@code problems}.
   */
  public static Resources requests(JsonNode template, List<String> problems) {
    JsonNode pod = podSpec(template);
    if (pod == null) {
      return Resources.NONE;
    }
    long[] sum = new long[2];
    boolean[] seen = new boolean[2];
    for (JsonNode c : pod.path("containers")) {
      long[] one = container(c, problems, seen);
      sum[0] += one[0];
      sum[1] += one[1];
    }
    for (JsonNode c : pod.path("initContainers")) {
      long[] one = container(c, problems, seen);
      sum[0] = Math.max(sum[0], one[0]);
      sum[1] = Math.max(sum[1], one[1]);
    }
    return new Resources(seen[0] ? sum[0] : null, seen[1] ? sum[1] : null, 1L);
  }

  private static JsonNode podSpec(JsonNode template) {
    JsonNode spec = template.path("spec");
    if (Meta.kind(template).equals("Pod") && Meta.apiVersion(template).equals("v1")) {
      return spec;
    }
    JsonNode t = spec.path("template").path("spec");
    if (t.isObject()) {
      return t;
    }
    JsonNode job = spec.path("jobTemplate").path("spec").path("template").path("spec");
    return job.isObject() ? job : null;
  }

  private static long[] container(JsonNode c, List<String> problems, boolean[] seen) {
    JsonNode resources = c.path("resources");
    long[] out = new long[2];
    String[] keys = {"cpu", "memory"};
    for (int i = 0; i < 2; i++) {
      JsonNode q = resources.path("requests").path(keys[i]);
      if (q.isMissingNode() || q.isNull()) {
        q = resources.path("limits").path(keys[i]);
      }
      if (q.isMissingNode() || q.isNull()) {
        continue;
      }
      try {
        out[i] = i == 0 ? Quantities.cpuMillis(q.asText()) : Quantities.units(q.asText());
        seen[i] = true;
      } catch (IllegalArgumentException e) {
        problems.add(
            "template: container "
                + c.path("name").asText("?")
                + " "
                + keys[i]
                + " request ignored: "
                + e.getMessage());
      }
    }
    return out;
  }
}
