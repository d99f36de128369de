package dev.meridian.bench.propagation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.PropagationPolicy;
import dev.meridian.bench.support.Stats;
import dev.meridian.scheduler.ClusterView;
import dev.meridian.scheduler.Decision;
import dev.meridian.scheduler.Scheduler;
import dev.meridian.scheduler.SchedulingInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Scheduling latency, timed call by call in this JVM after a warm-up (the method of {@code
 * bench/scheduler}): {@code Scheduler.schedule} for 100 clusters with this bench's own policy and
 * the hub's own Cluster objects; {@code bench/scheduler}'s realistic Divided policy on its
 * synthetic fleet; and what the propagation controller pays per template pass, which also decodes
 * the 100 stored Cluster objects into views first (as {@code SchedulerPlacement.schedule} does;
 * only the scheduler's own API is called, so the bench does not break when the controller's
 * changes).
 */
final class SchedulingLatency {
  record Result(String scenario, long[] sortedNanos, String decision) {
    double p(double q) {
      return Stats.pct(sortedNanos, q) / 1e6;
    }
  }

  private SchedulingLatency() {}

  static List<Result> run(
      ObjectNode template,
      ObjectNode policy,
      List<ObjectNode> clusters,
      int warmup,
      int iterations) {
    PropagationPolicy typedPolicy = Typed.read(policy, PropagationPolicy.class);
    List<ClusterView> views = new ArrayList<>();
    clusters.forEach(c -> views.add(ClusterView.of(Typed.read(c, Cluster.class))));
    List<Result> out = new ArrayList<>();
    SchedulingInput duplicated = SchedulingInput.of(template, typedPolicy, views);
    out.add(
        time(
            "Scheduler.schedule, this bench's policy (Duplicated, label selector), 100 hub Clusters",
            () -> describe(Scheduler.schedule(duplicated)),
            warmup,
            iterations));
    SchedulingInput realistic =
        SchedulingInput.of(realisticTemplate(), realisticPolicy(), syntheticFleet(100));
    out.add(
        time(
            "Scheduler.schedule, bench/scheduler's Divided policy (affinity, spread, dynamic"
                + " weights), 100 synthetic clusters",
            () -> describe(Scheduler.schedule(realistic)),
            warmup,
            iterations));
    out.add(
        time(
            "the controller's share: decode the 100 stored Clusters, then Scheduler.schedule (as"
                + " SchedulerPlacement.schedule does on every template pass)",
            () -> {
              List<ClusterView> fresh = new ArrayList<>(clusters.size());
              clusters.forEach(c -> fresh.add(ClusterView.of(Typed.read(c, Cluster.class))));
              return describe(
                  Scheduler.schedule(
                      SchedulingInput.of(
                          template, Typed.read(policy, PropagationPolicy.class), fresh)));
            },
            Math.max(1, warmup / 4),
            Math.max(1, iterations / 4)));
    return out;
  }

  private static String describe(Decision d) {
    return d.isScheduled()
        ? d.targets().size() + " placed, " + d.exclusions().size() + " excluded"
        : "unschedulable: " + d.unschedulable();
  }

  private static Result time(String name, Supplier<String> call, int warmup, int iterations) {
    int sink = 0;
    for (int i = 0; i < warmup; i++) {
      sink += call.get().length();
    }
    long[] t = new long[iterations];
    String last = "";
    for (int i = 0; i < iterations; i++) {
      long start = System.nanoTime();
      last = call.get();
      t[i] = System.nanoTime() - start;
    }
    if (sink == 42) {
      System.out.print("");
    }
    Arrays.sort(t);
    return new Result(name, t, last);
  }

  // ---- bench/scheduler's realistic scenario (copied, without the residency guardrail)

  private static final String[] REGIONS = {
    "eu-west",
    "eu-central",
    "eu-north",
    "eu-south",
    "us-east",
    "us-west",
    "ca-central",
    "ap-south",
    "ap-northeast",
    "sa-east"
  };
  private static final String[] COUNTRIES = {
    "IE", "DE", "SE", "IT", "US", "US", "CA", "IN", "JP", "BR"
  };
  private static final String[] PROVIDERS = {"aws", "gcp", "azure"};

  private static List<ClusterView> syntheticFleet(int n) {
    Random rnd = new Random(42);
    List<ClusterView> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int r = i % REGIONS.length;
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("ring", i % 7 == 0 ? "canary" : "prod");
      labels.put("tier", i % 3 == 0 ? "gold" : "silver");
      List<Cluster.Taint> taints = new ArrayList<>();
      if (i % 11 == 0) {
        taints.add(new Cluster.Taint("maintenance", "true", "NoSchedule", null));
      }
      long cpu = 8_000L + 1000L * rnd.nextInt(120);
      out.add(
          new ClusterView(
              String.format("%s-%03d", REGIONS[r], i),
              labels,
              new Cluster.Location(
                  REGIONS[r],
                  REGIONS[r] + "-" + (char) ('a' + i % 3),
                  COUNTRIES[r],
                  PROVIDERS[i % 3]),
              taints,
              new dev.meridian.scheduler.Resources(
                  cpu, cpu * 4 * (1L << 20), 110L + rnd.nextInt(1000)),
              i % 17 == 0 ? "False" : "True",
              "v1." + (28 + i % 10) + "." + rnd.nextInt(10),
              null));
    }
    return out;
  }

  private static ObjectNode realisticTemplate() {
    return ResourceCodec.readDocuments(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec:
              replicas: 60
              template:
                spec:
                  containers:
                  - {name: web, image: nginx, resources: {requests: {cpu: 500m, memory: 512Mi}}}
            """)
        .get(0);
  }

  private static PropagationPolicy realisticPolicy() {
    return Typed.read(
        ResourceCodec.readDocuments(
                """
                apiVersion: policy.meridian.dev/v1alpha1
                kind: PropagationPolicy
                metadata: {name: web, namespace: shop}
                spec:
                  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
                  placement:
                    clusterAffinity:
                      labelSelector: {matchExpressions: [{key: ring, operator: In, values: [prod, canary]}]}
                      locations: {regions: [eu-west, eu-central, eu-north, eu-south, us-east, us-west, ap-south]}
                      kubernetesVersion: {min: "1.29"}
                    clusterTolerations: [{key: maintenance, operator: Exists, effect: NoSchedule}]
                    spreadConstraints: [{spreadBy: region, minGroups: 2, maxGroups: 4}]
                    replicaScheduling: {type: Divided, division: Weighted, weights: {dynamic: AvailableReplicas}}
                """)
            .get(0),
        PropagationPolicy.class);
  }
}
