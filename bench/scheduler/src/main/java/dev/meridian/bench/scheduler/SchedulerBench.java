package dev.meridian.bench.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.PropagationPolicy;
import dev.meridian.api.policy.ResidencyPolicy;
import dev.meridian.scheduler.ClusterView;
import dev.meridian.scheduler.Decision;
import dev.meridian.scheduler.ResidencyGuardrail;
import dev.meridian.scheduler.Resources;
import dev.meridian.scheduler.Scheduler;
import dev.meridian.scheduler.SchedulingInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Scheduling latency: the time of one {@code Scheduler.schedule} call (a full decision with every
 * reason written out) for a fleet of 100 clusters, measured call by call after a warm-up, and
 * reported as percentiles. Plain timing rather than JMH: the quantity of interest is the
 * distribution of single calls, which is what a binding controller pays per template.
 *
 * <p>Scenarios: a realistic Divided policy (label and location affinity, tolerations, spread over
 * 2-4 regions, dynamic weights, a residency guardrail), the same as a scale-up from a previous
 * placement, static weights with ten rules, and Aggregated.
 */
public final class SchedulerBench {
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

  private SchedulerBench() {}

  public static void main(String[] args) {
    int clusters = intArg(args, "--clusters", 100);
    int warmup = intArg(args, "--warmup", 20_000);
    int iterations = intArg(args, "--iterations", 20_000);
    List<ClusterView> fleet = fleet(clusters, new Random(42));
    ObjectNode template = deployment(60);
    ResidencyGuardrail guardrail =
        ResidencyGuardrail.forTemplate(template, Map.of(), List.of(residency()));

    Map<String, SchedulingInput> scenarios = new LinkedHashMap<>();
    SchedulingInput realistic =
        SchedulingInput.of(template, policy(REALISTIC), fleet).withGuardrail(guardrail);
    scenarios.put("divided, dynamic weights, spread, residency", realistic);
    Decision first = Scheduler.schedule(realistic);
    scenarios.put(
        "same, scale-up 60 -> 90 from that placement",
        new SchedulingInput(deployment(90), realistic.policy(), fleet, guardrail, null, false)
            .withPrevious(first.placement()));
    scenarios.put(
        "divided, 10 static weight rules", SchedulingInput.of(template, policy(STATIC), fleet));
    scenarios.put("aggregated", SchedulingInput.of(template, policy(AGGREGATED), fleet));

    System.out.printf(
        Locale.ROOT,
        "scheduler latency, %d clusters, %d warm-up + %d measured calls per scenario (1 thread)%n",
        clusters,
        warmup,
        iterations);
    System.out.printf(
        Locale.ROOT,
        "%-46s %9s %9s %9s %9s %9s  %s%n",
        "scenario",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "p99.9 ms",
        "max ms",
        "decision");
    boolean ok = true;
    for (Map.Entry<String, SchedulingInput> s : scenarios.entrySet()) {
      long[] t = measure(s.getValue(), warmup, iterations);
      Decision d = Scheduler.schedule(s.getValue());
      double p99 = ms(pct(t, 0.99));
      ok &= p99 <= 5.0;
      System.out.printf(
          Locale.ROOT,
          "%-46s %9.3f %9.3f %9.3f %9.3f %9.3f  %s%n",
          s.getKey(),
          ms(pct(t, 0.50)),
          ms(pct(t, 0.90)),
          p99,
          ms(pct(t, 0.999)),
          ms(t[t.length - 1]),
          d.isScheduled()
              ? d.targets().size() + " placed, " + d.exclusions().size() + " excluded"
              : "unschedulable: " + d.unschedulable());
    }
    System.out.println(ok ? "target p99 <= 5 ms: met" : "target p99 <= 5 ms: MISSED");
  }

  private static long[] measure(SchedulingInput in, int warmup, int iterations) {
    long sink = 0;
    for (int i = 0; i < warmup; i++) {
      sink += Scheduler.schedule(in).targets().size();
    }
    long[] t = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      long start = System.nanoTime();
      Decision d = Scheduler.schedule(in);
      t[i] = System.nanoTime() - start;
      sink += d.targets().size();
    }
    if (sink == 42) {
      System.out.print("");
    }
    Arrays.sort(t);
    return t;
  }

  private static long pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Clusters in ten regions, three providers and two rings; some tainted, a few not ready. */
  private static List<ClusterView> fleet(int n, Random rnd) {
    List<ClusterView> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int r = i % REGIONS.length;
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("ring", i % 7 == 0 ? "canary" : "prod");
      labels.put("tier", i % 3 == 0 ? "gold" : "silver");
      labels.put("team", "t" + (i % 5));
      List<Cluster.Taint> taints = new ArrayList<>();
      if (i % 11 == 0) {
        taints.add(new Cluster.Taint("maintenance", "true", "NoSchedule", null));
      }
      if (i % 13 == 0) {
        taints.add(new Cluster.Taint("gpu", "true", "NoSchedule", null));
      }
      long cpu = 8_000L + 1000L * rnd.nextInt(120);
      out.add(
          new ClusterView(
              String.format(Locale.ROOT, "%s-%03d", REGIONS[r], i),
              labels,
              new Cluster.Location(
                  REGIONS[r],
                  REGIONS[r] + "-" + (char) ('a' + i % 3),
                  COUNTRIES[r],
                  PROVIDERS[i % 3]),
              taints,
              new Resources(cpu, cpu * 4 * (1L << 20), 110L + rnd.nextInt(1000)),
              i % 17 == 0 ? "False" : "True",
              "v1." + (28 + i % 10) + "." + rnd.nextInt(10),
              null));
    }
    return out;
  }

  private static ObjectNode deployment(int replicas) {
    return ResourceCodec.readDocuments(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, labels: {app: web, data.meridian.dev/classification: eu-personal}}
            spec:
              replicas: %d
              template:
                spec:
                  containers:
                  - {name: web, image: nginx, resources: {requests: {cpu: 500m, memory: 512Mi}}}
                  - {name: sidecar, image: envoy, resources: {requests: {cpu: 100m, memory: 64Mi}}}
            """
                .formatted(replicas))
        .get(0);
  }

  private static final String REALISTIC =
      """
      clusterAffinity:
        labelSelector: {matchExpressions: [{key: ring, operator: In, values: [prod, canary]}]}
        locations: {regions: [eu-west, eu-central, eu-north, eu-south, us-east, us-west, ap-south]}
        kubernetesVersion: {min: "1.29"}
      clusterTolerations: [{key: maintenance, operator: Exists, effect: NoSchedule}]
      spreadConstraints: [{spreadBy: region, minGroups: 2, maxGroups: 4}]
      replicaScheduling: {type: Divided, division: Weighted, weights: {dynamic: AvailableReplicas}}
      """;

  private static final String STATIC =
      """
      clusterAffinity: {labelSelector: {matchLabels: {ring: prod}}}
      replicaScheduling:
        type: Divided
        weights:
          static:
          - {clusters: {labelSelector: {matchLabels: {tier: gold}}}, weight: 3}
          - {clusters: {labelSelector: {matchLabels: {tier: silver}}}, weight: 1}
          - {clusters: {locations: {regions: [eu-west]}}, weight: 4}
          - {clusters: {locations: {regions: [us-east]}}, weight: 2}
          - {clusters: {locations: {providers: [gcp]}}, weight: 2}
          - {clusters: {labelSelector: {matchLabels: {team: t1}}}, weight: 5}
          - {clusters: {labelSelector: {matchLabels: {team: t2}}}, weight: 1}
          - {clusters: {names: [eu-west-000, eu-west-010, eu-west-020]}, weight: 6}
          - {clusters: {kubernetesVersion: {min: "1.35"}}, weight: 2}
          - {clusters: {locations: {countries: [JP, IN]}}, weight: 1}
      """;

  private static final String AGGREGATED =
      """
      clusterAffinity: {labelSelector: {matchLabels: {ring: prod}}}
      replicaScheduling: {type: Divided, division: Aggregated}
      """;

  private static PropagationPolicy policy(String placement) {
    String text =
        """
        apiVersion: policy.meridian.dev/v1alpha1
        kind: PropagationPolicy
        metadata: {name: web, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
          placement:
        """
            + placement.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
    return Typed.read(ResourceCodec.readDocuments(text).get(0), PropagationPolicy.class);
  }

  private static ResidencyPolicy residency() {
    return Typed.read(
        ResourceCodec.readDocuments(
                """
                apiVersion: policy.meridian.dev/v1alpha1
                kind: ResidencyPolicy
                metadata: {name: gdpr-eu-personal-data}
                spec:
                  resourceSelector: {matchLabels: {data.meridian.dev/classification: eu-personal}}
                  allowedLocations: {countries: [AT, BE, BG, HR, CY, CZ, DK, EE, FI, FR, DE, GR, HU, IE, IT, LV, LT, LU, MT, NL, PL, PT, RO, SK, SI, ES, SE, US]}
                  enforcement: Deny
                """)
            .get(0),
        ResidencyPolicy.class);
  }

  private static int intArg(String[] args, String name, int def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return def;
  }
}
