package dev.meridian.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.PropagationPolicy;
import dev.meridian.api.policy.ResidencyPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Clusters, templates and policies for scheduler tests, written as a user would. */
public final class Fixtures {
  private Fixtures() {}

  /** An object from YAML. */
  public static ObjectNode yaml(String text) {
    return ResourceCodec.readDocuments(text).get(0);
  }

  /** A Deployment {@code shop/web} with {@code replicas}, each requesting 1 cpu and 1Gi. */
  public static ObjectNode deployment(int replicas) {
    return deployment("web", replicas, "1", "1Gi");
  }

  public static ObjectNode deployment(String name, int replicas, String cpu, String memory) {
    return yaml(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: shop, labels: {app: %s}}
        spec:
          replicas: %d
          template:
            spec:
              containers:
              - name: main
                image: nginx
                resources: {requests: {cpu: "%s", memory: "%s"}}
        """
            .formatted(name, name, replicas, cpu, memory));
  }

  /** A ConfigMap {@code shop/settings}: a kind without replicas. */
  public static ObjectNode configMap() {
    return yaml(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\ndata: {a: b}\n");
  }

  /**
   * A PropagationPolicy {@code shop/web} selecting every Deployment of {@code shop}, with {@code
   * placement} (YAML, indented by two spaces under {@code placement:}; may be empty).
   */
  public static PropagationPolicy policy(String placement) {
    String text =
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: web, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}, {apiVersion: v1, kind: ConfigMap}]
          placement:
        """
            + placement
                .stripIndent()
                .lines()
                .map(l -> "    " + l + "\n")
                .reduce("", String::concat);
    if (placement.isBlank()) {
      text = text.replace("  placement:\n", "");
    }
    return Typed.read(yaml(text), PropagationPolicy.class);
  }

  /**
   * A PropagationPolicy {@code shop/web} selecting every {@code apiVersion}/{@code kind} of shop.
   */
  public static PropagationPolicy policyFor(String apiVersion, String kind, String placement) {
    String text =
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: web, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: %s, kind: %s}]
        """
            .formatted(apiVersion, kind);
    if (!placement.isBlank()) {
      text +=
          "  placement:\n"
              + placement
                  .stripIndent()
                  .lines()
                  .map(l -> "    " + l + "\n")
                  .reduce("", String::concat);
    }
    return Typed.read(yaml(text), PropagationPolicy.class);
  }

  public static ResidencyPolicy residency(
      String name, String allowedLocations, String enforcement) {
    return Typed.read(
        yaml(
            """
            apiVersion: policy.meridian.dev/v1alpha1
            kind: ResidencyPolicy
            metadata: {name: %s}
            spec:
              resourceSelector: {matchLabels: {app: web}}
              allowedLocations: %s
              enforcement: %s
            """
                .formatted(name, allowedLocations, enforcement)),
        ResidencyPolicy.class);
  }

  public static ClusterBuilder cluster(String name) {
    return new ClusterBuilder(name);
  }

  /** A cluster that is ready, runs v1.30.2 and has 16 cpu, 64Gi, 110 pods allocatable. */
  public static final class ClusterBuilder {
    private final String name;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String region = "eu-west";
    private String zone = "eu-west-a";
    private String country = "DE";
    private String provider = "aws";
    private final List<Cluster.Taint> taints = new ArrayList<>();
    private Resources allocatable = new Resources(16_000L, 64L << 30, 110L);
    private String ready = "True";
    private String version = "v1.30.2";
    private List<String> served;

    ClusterBuilder(String name) {
      this.name = name;
    }

    public ClusterBuilder label(String k, String v) {
      labels.put(k, v);
      return this;
    }

    public ClusterBuilder in(String country, String region, String zone) {
      this.country = country;
      this.region = region;
      this.zone = zone;
      return this;
    }

    public ClusterBuilder provider(String p) {
      provider = p;
      return this;
    }

    public ClusterBuilder taint(String key, String value, String effect) {
      return taint(key, value, effect, null);
    }

    public ClusterBuilder taint(String key, String value, String effect, String timeAdded) {
      taints.add(new Cluster.Taint(key, value, effect, timeAdded));
      return this;
    }

    public ClusterBuilder cpus(long cpus) {
      allocatable = new Resources(cpus * 1000, allocatable.memoryBytes(), allocatable.pods());
      return this;
    }

    public ClusterBuilder allocatable(Resources r) {
      allocatable = r;
      return this;
    }

    public ClusterBuilder ready(String status) {
      ready = status;
      return this;
    }

    public ClusterBuilder version(String v) {
      version = v;
      return this;
    }

    public ClusterBuilder served(String... apis) {
      served = List.of(apis);
      return this;
    }

    public ClusterView build() {
      return new ClusterView(
          name,
          labels,
          new Cluster.Location(region, zone, country, provider),
          taints,
          allocatable,
          ready,
          version,
          served);
    }
  }

  /** Schedules and returns the decision. */
  public static Decision schedule(
      ObjectNode template, PropagationPolicy policy, ClusterView... clusters) {
    return Scheduler.schedule(SchedulingInput.of(template, policy, List.of(clusters)));
  }

  /** cluster → replicas of a decision's targets. */
  public static Map<String, Integer> placement(Decision d) {
    return d.placement();
  }
}
