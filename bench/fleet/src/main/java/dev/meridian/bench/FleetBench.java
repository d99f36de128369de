package dev.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.bench.support.HubClient;
import dev.meridian.bench.support.HubJvm;
import dev.meridian.bench.support.Jdk;
import dev.meridian.bench.support.Proc;
import dev.meridian.bench.support.Stats;
import dev.meridian.members.RealClusters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fleet scale benchmark: what member clusters cost the hub. See {@code bench/fleet/README.md}.
 *
 * <p>Starts a hub (with its fleet controllers) in a child JVM, measures its live heap after a full
 * GC and its threads; registers simulated clusters over HTTPS in steps (10, 50, 100 by default),
 * timing each step until every cluster is {@code Ready=True} and measuring again after each; then
 * starts real kube-apiservers ({@link RealClusters}, from this JVM), joins them in steps (1, 10)
 * the way {@code meridian join} does (a Cluster with {@code spec.connection.kubeconfig}) and
 * measures again. Between phases it watches the fleet for a while (the dwell) to collect the probe
 * latencies the health controller reports and the hub's steady CPU and heap drift. Ends with a
 * summary with the targets marked MET or NOT MET. Everything it starts is stopped on exit; loopback
 * only.
 */
public final class FleetBench {
  private static final long MIB = 1L << 20;
  private static final double SIM_HEAP_TARGET_MIB = 2;
  private static final double REAL_HEAP_TARGET_MIB = 10;
  private static final Duration POLL = Duration.ofMillis(200);

  /** EmbeddedStore.Options.defaults().historyEvents(): watch events the store keeps in memory. */
  private static final int HISTORY_EVENTS = 100_000;

  /** Heap a retained watch event costs beyond the object's JSON (see the summary). */
  private static final double EVENT_OVERHEAD_BYTES = 520;

  private final Options opt;
  private final List<String> lines = new ArrayList<>();
  private final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
  private final Map<String, Long> revisionAt = new HashMap<>();
  private final Map<String, Long> postedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> readyAt = new ConcurrentHashMap<>();
  private final List<String> simNames = new ArrayList<>();
  private final List<String> realNames = new ArrayList<>();
  private final List<Stage> stages = new ArrayList<>();
  private final Map<String, Dwell> dwells = new LinkedHashMap<>();
  private HubJvm hub;
  private HubClient api;
  private RealClusters real;
  private double realStartSeconds = -1;
  private Dwell stallResult;
  private int stalledCount;
  private String stallBusyWorkers = "?";
  private String realStartLoad = "";
  private final long runStart = System.nanoTime();

  private FleetBench(Options opt) {
    this.opt = opt;
  }

  public static void main(String[] args) throws Exception {
    Options opt;
    try {
      opt = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("fleet bench: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    FleetBench bench = new FleetBench(opt);
    Thread hook =
        new Thread(
            () -> {
              bench.print("interrupted: cleaning up");
              bench.cleanup();
              bench.writeResults();
            },
            "fleet-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = 0;
    try {
      bench.run();
    } catch (Exception | Error e) {
      bench.print("FAILED: " + e);
      e.printStackTrace();
      code = 1;
    } finally {
      bench.cleanup();
      bench.writeResults();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    System.exit(code);
  }

  // ---- the run

  private void run() throws Exception {
    Files.createDirectories(opt.out);
    print(
        "# fleet bench "
            + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            + " on "
            + Proc.hostname()
            + ": "
            + Runtime.getRuntime().availableProcessors()
            + " cores ("
            + Proc.cpuModel()
            + "), "
            + Proc.memTotal()
            + ", java "
            + System.getProperty("java.version"));
    print("load average at start: " + Proc.loadAverage() + " (1/5/15 min)");
    if (!opt.source.isEmpty()) {
      print("source: " + opt.source);
    }
    print(
        "settings: "
            + opt.simSteps.get(opt.simSteps.size() - 1)
            + " simulated (steps "
            + opt.simSteps
            + ", API latency "
            + opt.simLatencyMs
            + " ms), "
            + opt.real
            + " real (steps "
            + opt.realSteps
            + "), POSTs "
            + opt.postConcurrency
            + " at a time, joins "
            + opt.joinConcurrency
            + " at a time, probe interval "
            + opt.probeMillis
            + " ms, grace "
            + opt.graceMillis
            + " ms, hub -Xmx"
            + opt.hubHeap
            + ", dwell "
            + opt.dwellSeconds
            + " s");

    Path data = Files.createTempDirectory("meridian-fleet-bench-");
    long t0 = System.nanoTime();
    hub =
        HubJvm.start(
            data,
            opt.out,
            new HubJvm.Options()
                .heap(opt.hubHeap, false)
                .nativeMemoryTracking()
                .health(Duration.ofMillis(opt.probeMillis), Duration.ofMillis(opt.graceMillis))
                .timeouts(Duration.ofSeconds(90), Duration.ofSeconds(15)));
    api = new HubClient(hub.url(), hub.tokenFile(), hub.caFile());
    print(
        String.format(
            "hub: child JVM pid %d at %s (TLS, checked against its CA), started in %.1f s; log %s",
            hub.pid(), hub.url(), secondsSince(t0), opt.out.resolve("hub.log")));
    // warm the request path and the API worker pool (it creates a thread per request up to its
    // size), so neither is counted as the clusters' cost
    for (int i = 0; i < 100; i++) {
      api.get(HubClient.CLUSTERS, Duration.ofSeconds(30));
    }
    Thread.sleep(2000);
    measure("baseline");

    // ---- simulated clusters, in steps
    for (int step : opt.simSteps) {
      List<String> names = new ArrayList<>();
      for (int i = simNames.size() + 1; i <= step; i++) {
        names.add(String.format("sim-%03d", i));
      }
      Stage s = register("simulated", names, this::simulatedCluster, opt.postConcurrency);
      simNames.addAll(names);
      stages.add(s);
      print(s.describe());
      measure("sim-" + step);
    }
    dwell("simulated only", simNames.size() + " simulated", opt.dwellSeconds, Set.of());
    measure("dwell-sim");

    // ---- real clusters
    if (opt.real > 0) {
      realStartLoad = Proc.loadAverage();
      long rs = System.nanoTime();
      print("starting " + opt.real + " real kube-apiservers (test-clusters/start.sh) ...");
      real = RealClusters.start(opt.real);
      realStartSeconds = secondsSince(rs);
      print(
          String.format(
              "  %d API servers ready in %.1f s (load average before %s, after %s); state in %s",
              opt.real, realStartSeconds, realStartLoad, Proc.loadAverage(), real.dir()));
      Map<String, RealClusters.Cluster> byName = new LinkedHashMap<>();
      for (RealClusters.Cluster c : real.clusters()) {
        byName.put("real-" + c.name(), c);
      }
      List<String> all = new ArrayList<>(byName.keySet());
      measure("before-real");
      for (int step : opt.realSteps) {
        List<String> names = new ArrayList<>(all.subList(realNames.size(), step));
        Stage s = register("real", names, n -> joinBody(n, byName.get(n)), opt.joinConcurrency);
        realNames.addAll(names);
        stages.add(s);
        print(s.describe());
        measure("real-" + step);
      }
      dwell(
          "simulated + real",
          simNames.size() + " simulated + " + realNames.size() + " real",
          opt.dwellSeconds,
          Set.of());
      measure("dwell-real");
    }
    if (opt.stall > 0) {
      stall(opt.stall);
    }
    summary();
  }

  // ---- phases

  /** A registration step: when it started, what each POST took, when all were Ready. */
  record Stage(
      String kind,
      int count,
      int totalAfter,
      double postSeconds,
      double readySeconds,
      List<Double> postMillis,
      List<Double> postToReadyMillis,
      int readyOfAll,
      String load) {
    String describe() {
      return String.format(
          Locale.ROOT,
          "%s +%d (total %d): POSTs done in %.2f s (each p50 %.0f / max %.0f ms); all Ready %.2f s"
              + " after the first POST; per cluster POST->Ready p50 %.0f / max %.0f ms (polled every"
              + " %d ms); Ready of all registered: %d/%d; load %s",
          kind,
          count,
          totalAfter,
          postSeconds,
          pct(postMillis, 50),
          pct(postMillis, 100),
          readySeconds,
          pct(postToReadyMillis, 50),
          pct(postToReadyMillis, 100),
          POLL.toMillis(),
          readyOfAll,
          totalAfter,
          load);
    }
  }

  private Stage register(
      String kind,
      List<String> names,
      java.util.function.Function<String, String> body,
      int concurrency)
      throws Exception {
    long start = System.nanoTime();
    List<Double> postMillis = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (String name : names) {
        futures.add(
            pool.submit(
                () -> {
                  long s = System.nanoTime();
                  api.create(HubClient.CLUSTERS, body.apply(name), Duration.ofSeconds(60));
                  long e = System.nanoTime();
                  postedAt.put(name, e);
                  postMillis.add((e - s) / 1e6);
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double postSeconds = secondsSince(start);
    awaitReady(names, Duration.ofSeconds(opt.readyTimeoutSeconds));
    double readySeconds = secondsSince(start);
    List<Double> toReady = new ArrayList<>();
    for (String n : names) {
      toReady.add((readyAt.get(n) - postedAt.get(n)) / 1e6);
    }
    int readyOfAll = 0;
    Set<String> registered = new HashSet<>(simNames);
    registered.addAll(realNames);
    registered.addAll(names);
    for (JsonNode c : api.get(HubClient.CLUSTERS, Duration.ofSeconds(30)).path("items")) {
      if (registered.contains(c.path("metadata").path("name").asText()) && ready(c)) {
        readyOfAll++;
      }
    }
    return new Stage(
        kind,
        names.size(),
        registered.size(),
        postSeconds,
        readySeconds,
        postMillis,
        toReady,
        readyOfAll,
        Proc.loadAverage());
  }

  /** Polls the cluster list until every one of {@code names} has been seen Ready=True. */
  private void awaitReady(List<String> names, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> waiting = new TreeSet<>(names);
    JsonNode last = null;
    while (!waiting.isEmpty()) {
      if (System.nanoTime() > deadline) {
        StringBuilder why = new StringBuilder();
        for (JsonNode c : last == null ? List.<JsonNode>of() : iterable(last.path("items"))) {
          String n = c.path("metadata").path("name").asText();
          if (waiting.contains(n) && why.length() < 2000) {
            why.append("\n  ").append(n).append(": ").append(c.path("status").path("conditions"));
          }
        }
        throw new IllegalStateException(
            waiting.size() + " clusters not Ready after " + timeout.toSeconds() + " s:" + why);
      }
      last = api.get(HubClient.CLUSTERS, Duration.ofSeconds(30));
      long now = System.nanoTime();
      for (JsonNode c : last.path("items")) {
        String n = c.path("metadata").path("name").asText();
        if (waiting.contains(n) && ready(c)) {
          readyAt.putIfAbsent(n, now);
          waiting.remove(n);
        }
      }
      if (!waiting.isEmpty()) {
        Thread.sleep(POLL.toMillis());
      }
    }
  }

  /**
   * What the fleet looked like over a while: probe latencies (all samples seen, and only probes
   * made during the window), probes per cluster, the oldest probe, hub CPU, store writes.
   */
  record Dwell(
      String label,
      double seconds,
      Map<String, List<Double>> latencyByKind,
      Map<String, List<Double>> steadyLatencyByKind,
      Map<String, Double> probesPerCluster,
      Map<String, Double> maxProbeAgeSeconds,
      double hubCores,
      long revisions,
      double clusterJsonBytes,
      String load) {}

  private static String kind(String clusterName) {
    return clusterName.startsWith("real-") ? "real" : "simulated";
  }

  private Dwell dwell(String label, String what, int seconds, Set<String> exclude)
      throws Exception {
    print(
        String.format(
            "dwell %d s with %s clusters: sampling status.apiLatencyMs and the hub's CPU ...",
            seconds, what));
    Map<String, Double> latency = new HashMap<>(); // "name|lastProbeTime" -> ms
    Map<String, Set<String>> probeTimes = new HashMap<>();
    Map<String, Double> maxAge = new TreeMap<>();
    Instant startInstant = Instant.now();
    Instant steadyFrom = startInstant.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    long start = System.nanoTime();
    double cpu0 = hub.cpuSeconds();
    long rev0 = -1;
    long rev1 = -1;
    double jsonBytes = 0;
    int jsonCount = 0;
    long end = start + Duration.ofSeconds(seconds).toNanos();
    while (true) {
      JsonNode list = api.get(HubClient.CLUSTERS, Duration.ofSeconds(30));
      Instant now = Instant.now();
      long rev = list.path("metadata").path("resourceVersion").asLong(-1);
      if (rev0 < 0) {
        rev0 = rev;
      }
      rev1 = rev;
      for (JsonNode c : list.path("items")) {
        String n = c.path("metadata").path("name").asText();
        if (exclude.contains(n)) {
          continue;
        }
        if (jsonCount < 1000) {
          jsonBytes += HubClient.JSON.writeValueAsBytes(c).length;
          jsonCount++;
        }
        JsonNode st = c.path("status");
        if (st.has("apiLatencyMs") && st.has("lastProbeTime")) {
          String probe = st.path("lastProbeTime").asText();
          latency.putIfAbsent(n + "|" + probe, st.path("apiLatencyMs").asDouble());
          probeTimes.computeIfAbsent(n, k -> new HashSet<>()).add(probe);
          try {
            double age = Duration.between(Instant.parse(probe), now).toMillis() / 1000.0;
            maxAge.merge(kind(n), age, Math::max);
          } catch (RuntimeException e) {
            // not an instant: leave it out
          }
        }
      }
      if (System.nanoTime() >= end) {
        break;
      }
      Thread.sleep(1000);
    }
    double secs = secondsSince(start);
    double cores = (hub.cpuSeconds() - cpu0) / secs;
    Map<String, List<Double>> byKind = new TreeMap<>();
    Map<String, List<Double>> steady = new TreeMap<>();
    latency.forEach(
        (k, v) -> {
          String name = k.substring(0, k.indexOf('|'));
          String probe = k.substring(k.indexOf('|') + 1);
          byKind.computeIfAbsent(kind(name), x -> new ArrayList<>()).add(v);
          try {
            if (!Instant.parse(probe).isBefore(steadyFrom)) {
              steady.computeIfAbsent(kind(name), x -> new ArrayList<>()).add(v);
            }
          } catch (RuntimeException e) {
            // not an instant
          }
        });
    Map<String, Double> perCluster = new TreeMap<>();
    Map<String, Integer> clustersByKind = new HashMap<>();
    probeTimes.forEach(
        (n, set) -> {
          perCluster.merge(kind(n), (double) set.size(), Double::sum);
          clustersByKind.merge(kind(n), 1, Integer::sum);
        });
    perCluster.replaceAll((k, v) -> v / clustersByKind.get(k));
    Dwell d =
        new Dwell(
            label,
            secs,
            byKind,
            steady,
            perCluster,
            maxAge,
            cores,
            rev1 - rev0,
            jsonCount == 0 ? 0 : jsonBytes / jsonCount,
            Proc.loadAverage());
    dwells.put(label, d);
    for (String k : byKind.keySet()) {
      List<Double> all = byKind.get(k);
      List<Double> st = steady.getOrDefault(k, List.of());
      print(
          String.format(
              Locale.ROOT,
              "  %s probe latency (status.apiLatencyMs), probes made during the dwell (n=%d): min"
                  + " %.1f / median %.1f / p90 %.1f / p99 %.1f / max %.1f ms; with the probes"
                  + " before it (n=%d): median %.1f / max %.1f ms",
              k,
              st.size(),
              pct(st, 0),
              pct(st, 50),
              pct(st, 90),
              pct(st, 99),
              pct(st, 100),
              all.size(),
              pct(all, 50),
              pct(all, 100)));
      print(
          String.format(
              Locale.ROOT,
              "  %s: distinct probe times seen per cluster %.1f (expected ~%.1f); oldest"
                  + " lastProbeTime seen %.1f s old (interval %.1f s)",
              k,
              perCluster.getOrDefault(k, 0.0),
              1 + secs * 1000 / opt.probeMillis,
              maxAge.getOrDefault(k, Double.NaN),
              opt.probeMillis / 1000.0));
    }
    print(
        String.format(
            Locale.ROOT,
            "  hub CPU %.2f cores (of %d); store revisions +%d (%.1f writes/s: status updates and"
                + " events); Cluster object ~%.0f bytes of JSON; load average %s",
            cores,
            Runtime.getRuntime().availableProcessors(),
            rev1 - rev0,
            (rev1 - rev0) / secs,
            d.clusterJsonBytes(),
            d.load()));
    return d;
  }

  /**
   * Head-of-line blocking of the health controller: makes {@code n} simulated clusters answer
   * slower than the request timeout (as a black-holed API server would) and watches how stale the
   * probes of the healthy clusters get.
   */
  private void stall(int n) throws Exception {
    List<String> stalled = new ArrayList<>(simNames.subList(0, Math.min(n, simNames.size())));
    // latency x factor must exceed the member request timeout (10 s by default)
    int factor = (int) Math.ceil(20_000.0 / Math.max(1, opt.simLatencyMs));
    print("");
    print(
        String.format(
            "stall experiment: %d simulated clusters turn Slow (x%d: %d ms per call, beyond the"
                + " request timeout) ...",
            stalled.size(), factor, factor * opt.simLatencyMs));
    for (String name : stalled) {
      HubClient.Response r =
          api.send(
              "PATCH",
              HubClient.CLUSTERS + "/" + name,
              "{\"spec\":{\"connection\":{\"simulated\":{\"failure\":\"Slow\",\"slowFactor\":"
                  + factor
                  + "}}}}",
              "application/merge-patch+json",
              Duration.ofSeconds(30));
      if (r.code() != 200) {
        throw new IOException("PATCH " + name + " answered " + r.code() + ": " + r.body());
      }
    }
    Dwell d =
        dwell(
            "stall",
            (simNames.size() + realNames.size() - stalled.size())
                + " healthy ("
                + stalled.size()
                + " stalled)",
            opt.stallSeconds,
            new HashSet<>(stalled));
    stallResult = d;
    stalledCount = stalled.size();
    // what the shared controller workers are doing now
    String dump = Jdk.threadDump(hub.pid());
    Files.writeString(opt.out.resolve("threads-stall.txt"), dump);
    int workers = 0;
    int inProbe = 0;
    for (String block : dump.split("\n\n")) {
      if (block.startsWith("\"hub-controller-")) {
        workers++;
        if (block.contains(".probe(")) {
          inProbe++;
        }
      }
    }
    stallBusyWorkers = inProbe + " of " + workers;
    print(
        "  controller workers inside MemberCluster.probe() at the end: "
            + inProbe
            + " of "
            + workers
            + " (thread dump in threads-stall.txt)");
  }

  // ---- measurement

  private Snapshot measure(String label) throws Exception {
    long t = System.nanoTime();
    Snapshot s = Snapshot.take(hub.pid(), label, opt.out);
    snapshots.put(label, s);
    long rev =
        api.get(HubClient.CLUSTERS, Duration.ofSeconds(30))
            .path("metadata")
            .path("resourceVersion")
            .asLong(-1);
    revisionAt.put(label, rev);
    print(
        String.format(
            Locale.ROOT,
            "[%s] heap after full GC %.1f MiB (live objects %.1f MiB), threads %d Java / %d OS,"
                + " RSS %.0f MiB, store revision %d, load %s (measured in %.1f s)",
            label,
            s.heapUsedAfterGc() / (double) MIB,
            s.histogramBytes() / (double) MIB,
            s.javaThreads(),
            s.osThreads(),
            s.rss() / (double) MIB,
            rev,
            s.load(),
            secondsSince(t)));
    return s;
  }

  // ---- bodies

  private String simulatedCluster(String name) {
    return """
        {"apiVersion":"fleet.meridian.dev/v1alpha1","kind":"Cluster",
         "metadata":{"name":"%s","labels":{"bench":"fleet"}},
         "spec":{"connection":{"simulated":{"capacity":{"cpu":"64","memory":"256Gi","pods":"1000"},
                                            "apiLatencyMs":%d}},
                 "location":{"region":"r1","country":"DE"}}}"""
        .formatted(name, opt.simLatencyMs);
  }

  /** A join as {@code meridian join NAME --kubeconfig FILE} sends it. */
  private static String joinBody(String name, RealClusters.Cluster c) {
    String yaml = c.kubeconfigYaml();
    Matcher m = Pattern.compile("(?m)^current-context:\\s*\"?([^\"\\s]+)\"?").matcher(yaml);
    String context = m.find() ? m.group(1) : "";
    String data = Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8));
    return """
        {"apiVersion":"fleet.meridian.dev/v1alpha1","kind":"Cluster",
         "metadata":{"name":"%s","labels":{"bench":"fleet"}},
         "spec":{"connection":{"kubeconfig":{"data":"%s","context":"%s"}},
                 "syncMode":"Push","location":{"region":"r1","country":"DE"}}}"""
        .formatted(name, data, context);
  }

  private static boolean ready(JsonNode cluster) {
    for (JsonNode c : cluster.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }

  // ---- summary

  private void summary() {
    print("");
    print("== threads by group (Java and VM threads from jcmd Thread.print) ==");
    Set<String> groups = new TreeSet<>();
    snapshots.values().forEach(s -> groups.addAll(s.threadGroups().keySet()));
    StringBuilder head = new StringBuilder(String.format("%-34s", "group"));
    for (String label : snapshots.keySet()) {
      head.append(String.format("%14s", abbreviate(label, 13)));
    }
    print(head.toString());
    for (String g : groups) {
      StringBuilder row = new StringBuilder(String.format("%-34s", abbreviate(g, 33)));
      boolean varies = false;
      Integer first = null;
      for (Snapshot s : snapshots.values()) {
        int n = s.threadGroups().getOrDefault(g, 0);
        if (first == null) {
          first = n;
        } else if (n != first) {
          varies = true;
        }
        row.append(String.format("%14d", n));
      }
      if (varies || first != null && first >= 4) {
        print(row.toString());
      }
    }
    StringBuilder total = new StringBuilder(String.format("%-34s", "total (Java + VM)"));
    StringBuilder noJit = new StringBuilder(String.format("%-34s", "total without JIT compiler"));
    for (Snapshot s : snapshots.values()) {
      total.append(String.format("%14d", totalThreads(s)));
      noJit.append(String.format("%14d", threadsWithoutJit(s)));
    }
    print(total.toString());
    print(noJit.toString());
    print("(groups with fewer than 4 threads that never change are left out)");

    Snapshot base = snapshots.get("baseline");
    Snapshot lastSim = snapshots.get("sim-" + last(opt.simSteps));
    Snapshot firstSim = snapshots.get("sim-" + opt.simSteps.get(0));
    printTopDeltas("baseline", "sim-" + last(opt.simSteps), 12);
    if (snapshots.containsKey("dwell-sim")) {
      printTopDeltas("sim-" + last(opt.simSteps), "dwell-sim", 6);
    }
    if (realNames.size() > 0) {
      printTopDeltas("before-real", "real-" + last(opt.realSteps), 12);
    }

    int nSim = last(opt.simSteps);
    double simHeap = (lastSim.heapUsedAfterGc() - base.heapUsedAfterGc()) / (double) MIB / nSim;
    double simLive = (lastSim.histogramBytes() - base.histogramBytes()) / (double) MIB / nSim;
    double simMarginal =
        opt.simSteps.size() > 1
            ? (lastSim.histogramBytes() - firstSim.histogramBytes())
                / (double) MIB
                / (nSim - opt.simSteps.get(0))
            : Double.NaN;

    // heap drift with time (status writes kept in the store's watch history)
    Snapshot drift = snapshots.get("dwell-sim");
    double measuredPerWrite = Double.NaN;
    double driftKiBPerSecond = Double.NaN;
    long driftWrites = 0;
    if (drift != null) {
      driftWrites = revisionAt.get("dwell-sim") - revisionAt.get("sim-" + nSim);
      long bytes = drift.histogramBytes() - lastSim.histogramBytes();
      double secs = (drift.atNanos() - lastSim.atNanos()) / 1e9;
      measuredPerWrite = driftWrites > 0 ? bytes / (double) driftWrites : Double.NaN;
      driftKiBPerSecond = bytes / 1024.0 / secs;
    }
    // What one retained watch event costs: the object's stored JSON plus the event, KeyValue, key
    // String and array headers. The overhead was measured once with 1 s probes (6,500 writes:
    // 1.33 KiB per write at 809-byte Clusters); a 25 s dwell at 10 s probes is too short to
    // measure it by itself (a few hundred writes against GC noise of a few hundred KiB).
    Dwell simDwell = dwells.get("simulated only");
    double bytesPerWrite =
        simDwell == null || simDwell.clusterJsonBytes() == 0
            ? Double.NaN
            : simDwell.clusterJsonBytes() + EVENT_OVERHEAD_BYTES;

    print("");
    print(
        String.format(
            "== summary: fleet bench, %d cores, load average now %s, run took %.0f s ==",
            Runtime.getRuntime().availableProcessors(),
            Proc.loadAverage(),
            secondsSince(runStart)));
    row(
        "hub baseline: heap after GC / live / threads",
        String.format(
            "%.1f MiB / %.1f MiB / %d (%d without JIT)",
            base.heapUsedAfterGc() / (double) MIB,
            base.histogramBytes() / (double) MIB,
            totalThreads(base),
            threadsWithoutJit(base)));
    for (Stage s : stages) {
      row(
          "time to all Ready: " + s.kind() + " +" + s.count() + " (total " + s.totalAfter() + ")",
          String.format(
              Locale.ROOT,
              "%.2f s (POST->Ready p50 %.0f ms, max %.0f ms)",
              s.readySeconds(),
              pct(s.postToReadyMillis(), 50),
              pct(s.postToReadyMillis(), 100)));
    }
    double simTotal =
        stages.stream()
            .filter(s -> s.kind().equals("simulated"))
            .mapToDouble(Stage::readySeconds)
            .sum();
    row(
        "time to all Ready: " + nSim + " simulated (sum of steps)",
        String.format("%.2f s", simTotal));
    if (realStartSeconds >= 0) {
      row(
          "starting " + opt.real + " real API servers (not the hub)",
          String.format("%.1f s", realStartSeconds));
    }
    for (Snapshot s : snapshots.values()) {
      row(
          "  [" + s.label() + "] heap after GC / threads / RSS",
          String.format(
              "%.1f MiB / %d (%d w/o JIT) / %.0f MiB",
              s.heapUsedAfterGc() / (double) MIB,
              totalThreads(s),
              threadsWithoutJit(s),
              s.rss() / (double) MIB));
    }
    row(
        "live heap per simulated cluster, marginal " + opt.simSteps.get(0) + "->" + nSim,
        Double.isNaN(simMarginal) ? "-" : String.format("%.3f MiB", simMarginal));
    if (!Double.isNaN(bytesPerWrite)) {
      row(
          "heap drift with " + nSim + " sims (store watch history)",
          String.format(
              Locale.ROOT,
              "%.1f KiB/s measured (%.2f KiB per write over %d writes); model %.2f KiB/write",
              driftKiBPerSecond,
              measuredPerWrite / 1024,
              driftWrites,
              bytesPerWrite / 1024));
      Dwell simOnly = dwells.get("simulated only");
      if (simOnly != null && simOnly.revisions() > 0) {
        double perSecond = simOnly.revisions() / simOnly.seconds();
        row(
            "  projected: history full (" + HISTORY_EVENTS + " events) after",
            String.format(
                Locale.ROOT,
                "%.1f h at %.1f writes/s, holding ~%.0f MiB (~%.1f MiB per cluster at %d)",
                HISTORY_EVENTS / perSecond / 3600,
                perSecond,
                HISTORY_EVENTS * bytesPerWrite / MIB,
                HISTORY_EVENTS * bytesPerWrite / MIB / nSim,
                nSim));
      }
    }
    for (Dwell d : dwells.values()) {
      if (d == stallResult) {
        continue;
      }
      for (Map.Entry<String, List<Double>> e : d.steadyLatencyByKind().entrySet()) {
        row(
            "probe latency " + e.getKey() + " (" + d.label() + ")",
            String.format(
                Locale.ROOT,
                "min %.1f / median %.1f / p99 %.1f / max %.1f ms (n=%d)",
                pct(e.getValue(), 0),
                pct(e.getValue(), 50),
                pct(e.getValue(), 99),
                pct(e.getValue(), 100),
                e.getValue().size()));
      }
      row(
          "hub CPU, steady (" + d.label() + ")",
          String.format(
              Locale.ROOT,
              "%.2f cores, %.1f store writes/s, load %s",
              d.hubCores(),
              d.revisions() / d.seconds(),
              d.load()));
    }
    if (stallResult != null) {
      for (Map.Entry<String, Double> e : stallResult.maxProbeAgeSeconds().entrySet()) {
        Dwell before = dwells.getOrDefault("simulated + real", dwells.get("simulated only"));
        row(
            "stall: oldest probe of a healthy " + e.getKey() + " cluster",
            String.format(
                Locale.ROOT,
                "%.1f s with %d stalled (%.1f s before; interval %.1f s)",
                e.getValue(),
                stalledCount,
                before.maxProbeAgeSeconds().getOrDefault(e.getKey(), Double.NaN),
                opt.probeMillis / 1000.0));
      }
      row(
          "stall: probes per healthy cluster in " + opt.stallSeconds + " s",
          stallResult.probesPerCluster().toString()
              + String.format(
                  " (expected ~%.1f); controller workers in probe(): %s",
                  1 + stallResult.seconds() * 1000 / opt.probeMillis, stallBusyWorkers));
    }
    printNative();

    print("");
    print(String.format("%-62s %-30s %s", "target", "measured", "verdict"));
    verdict(
        "heap per simulated cluster <= 2 MiB (baseline->" + nSim + ")",
        String.format("%.3f MiB (live %.3f)", simHeap, simLive),
        simHeap <= SIM_HEAP_TARGET_MIB);
    // threads must not grow with the number of clusters: compare the steps after the worker
    // pools filled (their sizes are fixed: 64 API workers, 16 controller workers)
    List<Integer> simThreads = new ArrayList<>();
    for (int step : opt.simSteps) {
      simThreads.add(threadsWithoutJit(snapshots.get("sim-" + step)));
    }
    int growthTail =
        simThreads.size() > 1
            ? simThreads.get(simThreads.size() - 1) - simThreads.get(simThreads.size() - 2)
            : 0;
    verdict(
        "threads flat in #simulated clusters (" + opt.simSteps + ", w/o JIT)",
        simThreads + " (base " + threadsWithoutJit(base) + ")",
        growthTail <= 1);
    if (!realNames.isEmpty()) {
      Snapshot before = snapshots.get("before-real");
      Snapshot lastReal = snapshots.get("real-" + last(opt.realSteps));
      Snapshot firstReal = snapshots.get("real-" + opt.realSteps.get(0));
      int nReal = realNames.size();
      double realHeap =
          (lastReal.heapUsedAfterGc() - before.heapUsedAfterGc()) / (double) MIB / nReal;
      // the simulated clusters keep writing status during the join: take out their share
      double simWritesPerSecond =
          dwells.containsKey("simulated only")
              ? dwells.get("simulated only").revisions() / dwells.get("simulated only").seconds()
              : 0;
      double window = (lastReal.atNanos() - before.atNanos()) / 1e9;
      double simDrift =
          Double.isNaN(bytesPerWrite) ? 0 : bytesPerWrite * simWritesPerSecond * window / MIB;
      double realHeapCorrected =
          (lastReal.heapUsedAfterGc() - before.heapUsedAfterGc()) / (double) MIB - simDrift;
      realHeapCorrected /= nReal;
      double realMarginal =
          opt.realSteps.size() > 1
              ? (lastReal.histogramBytes() - firstReal.histogramBytes())
                  / (double) MIB
                  / (nReal - opt.realSteps.get(0))
              : Double.NaN;
      verdict(
          "heap per real cluster <= 10 MiB (probe only: no informers yet)",
          String.format(
              "%.2f MiB (%.2f w/o sim drift; marginal live %.2f)",
              realHeap, realHeapCorrected, realMarginal),
          realHeap <= REAL_HEAP_TARGET_MIB);
      List<Integer> realThreads = new ArrayList<>();
      realThreads.add(threadsWithoutJit(before));
      for (int step : opt.realSteps) {
        realThreads.add(threadsWithoutJit(snapshots.get("real-" + step)));
      }
      int realTail =
          realThreads.get(realThreads.size() - 1) - realThreads.get(realThreads.size() - 2);
      verdict(
          "threads flat in #real clusters (before, " + opt.realSteps + ", w/o JIT)",
          realThreads.toString(),
          opt.realSteps.size() > 1 ? realTail <= 1 : realTail <= 8);
    }
    print(
        "(heap = G1 'used' after two jcmd GC.run; live = GC.class_histogram total; threads ="
            + " jcmd Thread.print entries; per-cluster = difference / clusters added; 'marginal'"
            + " compares live objects between the first and the last step, leaving out one-time"
            + " costs such as loading the Kubernetes client's classes)");
  }

  /** Native Memory Tracking: where the RSS goes, per snapshot (committed MiB). */
  private void printNative() {
    if (snapshots.values().stream().allMatch(s -> s.nativeCommitted().isEmpty())) {
      return;
    }
    print("");
    print("== hub memory by NMT category, committed MiB (RSS from /proc for comparison) ==");
    StringBuilder head = new StringBuilder(String.format("%-22s", "category"));
    for (String label : snapshots.keySet()) {
      head.append(String.format("%14s", abbreviate(label, 13)));
    }
    print(head.toString());
    List<String> cats =
        List.of(
            "Total",
            "Java Heap",
            "Class",
            "Thread",
            "Code",
            "GC",
            "Internal",
            "Other",
            "Symbol",
            "Arena Chunk",
            "Metaspace");
    for (String cat : cats) {
      if (snapshots.values().stream().noneMatch(s -> s.nativeCommitted().containsKey(cat))) {
        continue;
      }
      StringBuilder row = new StringBuilder(String.format("%-22s", cat));
      for (Snapshot s : snapshots.values()) {
        row.append(
            String.format(
                Locale.ROOT, "%14.1f", s.nativeCommitted().getOrDefault(cat, 0L) / (double) MIB));
      }
      print(row.toString());
    }
    StringBuilder rss = new StringBuilder(String.format("%-22s", "RSS"));
    for (Snapshot s : snapshots.values()) {
      rss.append(String.format(Locale.ROOT, "%14.1f", s.rss() / (double) MIB));
    }
    print(rss.toString());
  }

  private void printTopDeltas(String from, String to, int n) {
    Snapshot a = snapshots.get(from);
    Snapshot b = snapshots.get(to);
    if (a == null || b == null) {
      return;
    }
    Map<String, long[]> delta = new HashMap<>();
    Set<String> classes = new HashSet<>(a.byClass().keySet());
    classes.addAll(b.byClass().keySet());
    for (String c : classes) {
      long[] x = a.byClass().getOrDefault(c, new long[2]);
      long[] y = b.byClass().getOrDefault(c, new long[2]);
      delta.put(c, new long[] {y[0] - x[0], y[1] - x[1]});
    }
    List<Map.Entry<String, long[]>> top = new ArrayList<>(delta.entrySet());
    top.sort((p, q) -> Long.compare(Math.abs(q.getValue()[1]), Math.abs(p.getValue()[1])));
    long sum = b.histogramBytes() - a.histogramBytes();
    print("");
    print(
        String.format(
            "== live objects %s -> %s: %+.2f MiB; largest changes by class ==",
            from, to, sum / (double) MIB));
    for (Map.Entry<String, long[]> e : top.subList(0, Math.min(n, top.size()))) {
      print(
          String.format(
              "  %+10.1f KiB %+9d  %s", e.getValue()[1] / 1024.0, e.getValue()[0], e.getKey()));
    }
  }

  private static int totalThreads(Snapshot s) {
    return s.threadGroups().values().stream().mapToInt(Integer::intValue).sum();
  }

  private static int threadsWithoutJit(Snapshot s) {
    return totalThreads(s) - s.threadGroups().getOrDefault("JIT compiler", 0);
  }

  private void row(String what, String value) {
    print(String.format("%-62s %s", what, value));
  }

  private void verdict(String target, String measured, boolean met) {
    print(String.format("%-62s %-30s %s", target, measured, met ? "MET" : "NOT MET"));
  }

  // ---- plumbing

  private synchronized void cleanup() {
    if (real != null) {
      try {
        print("stopping the real clusters ...");
        real.close();
      } catch (RuntimeException e) {
        System.err.println("stopping the real clusters: " + e);
      }
      real = null;
    }
    if (hub != null) {
      hub.close();
      hub = null;
    }
  }

  private synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
    lines.add(line);
  }

  private void writeResults() {
    try {
      Files.createDirectories(opt.out);
      Files.write(opt.out.resolve("results.txt"), lines, StandardCharsets.UTF_8);
      System.out.println("results in " + opt.out.resolve("results.txt"));
    } catch (IOException e) {
      System.err.println("could not write results: " + e);
    }
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private static Iterable<JsonNode> iterable(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  /** The p-th percentile (nearest rank; 0 = min, 100 = max), NaN when empty. */
  static double pct(List<Double> values, double p) {
    return Stats.pct(values, p / 100);
  }

  private static String abbreviate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "~";
  }

  // ---- options

  static final class Options {
    static final String USAGE =
        """
        usage: FleetBench [--out DIR] [--sim-steps 10,50,100] [--sim-latency-ms 20]
                          [--real 10] [--real-steps 1,10] [--probe-interval-ms 10000]
                          [--grace-ms 40000] [--hub-heap 2g] [--dwell-seconds 25]
                          [--post-concurrency 8] [--join-concurrency 1]
                          [--ready-timeout-seconds 120]
                          [--stall N] [--stall-seconds 45]
          --real 0 skips the real clusters; --stall N (default 0: off) ends with N simulated
          clusters answering slower than the request timeout, to see whether the healthy ones
          are still probed on time.""";

    Path out = Path.of("target", "run");
    List<Integer> simSteps = List.of(10, 50, 100);
    int simLatencyMs = 20;
    int real = 10;
    List<Integer> realSteps = List.of(1, 10);
    long probeMillis = 10_000;
    long graceMillis = 40_000;
    String hubHeap = "2g";
    int dwellSeconds = 25;
    int postConcurrency = 8;
    int joinConcurrency = 1;
    int readyTimeoutSeconds = 120;
    int stall = 0;
    String source = "";
    int stallSeconds = 45;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        String v = args[++i];
        switch (a) {
          case "--out" -> o.out = Path.of(v);
          case "--sim-steps" -> o.simSteps = steps(v);
          case "--sim-latency-ms" -> o.simLatencyMs = Integer.parseInt(v);
          case "--real" -> o.real = Integer.parseInt(v);
          case "--real-steps" -> o.realSteps = steps(v);
          case "--probe-interval-ms" -> o.probeMillis = Long.parseLong(v);
          case "--grace-ms" -> o.graceMillis = Long.parseLong(v);
          case "--hub-heap" -> o.hubHeap = v;
          case "--dwell-seconds" -> o.dwellSeconds = Integer.parseInt(v);
          case "--post-concurrency" -> o.postConcurrency = Integer.parseInt(v);
          case "--join-concurrency" -> o.joinConcurrency = Integer.parseInt(v);
          case "--ready-timeout-seconds" -> o.readyTimeoutSeconds = Integer.parseInt(v);
          case "--stall" -> o.stall = Integer.parseInt(v);
          case "--source" -> o.source = v;
          case "--stall-seconds" -> o.stallSeconds = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (o.real <= 0) {
        o.real = 0;
        o.realSteps = List.of();
      } else {
        if (o.realSteps.isEmpty() || last(o.realSteps) != o.real) {
          List<Integer> s = new ArrayList<>();
          for (int x : o.realSteps) {
            if (x < o.real) {
              s.add(x);
            }
          }
          s.add(o.real);
          o.realSteps = s;
        }
      }
      return o;
    }

    private static List<Integer> steps(String v) {
      List<Integer> s = new ArrayList<>();
      int prev = 0;
      for (String p : v.split(",")) {
        int n = Integer.parseInt(p.trim());
        if (n <= prev) {
          throw new IllegalArgumentException("steps must increase: " + v);
        }
        s.add(n);
        prev = n;
      }
      return s;
    }
  }
}
