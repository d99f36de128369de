package dev.meridian.bench;

import dev.meridian.bench.support.HubJvm;
import dev.meridian.bench.support.Jdk;
import dev.meridian.bench.support.JfrProfile;
import dev.meridian.bench.support.Latencies;
import dev.meridian.bench.support.Proc;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for the hub's REST API. See {@code bench/README.md}.
 *
 * <p>Phases: start a hub in a child JVM (or use {@code --hub URL --token-file F}); warm up; a write
 * phase (N clients each creating ~1 KiB ConfigMaps back to back); a read phase (GETs of random
 * existing objects); a mixed phase; a single-object GET run of ours beside the same run of {@code
 * wrk}; a capacity phase that fills the hub to 100,000 objects and reads its heap after a full GC;
 * then a summary with the targets marked MET or NOT MET.
 *
 * <p>Clients are closed-loop (each sends its next request when the previous one is answered), so
 * latencies are service times under that concurrency, without coordinated-omission correction.
 */
public final class HubApiBench {
  private static final String NS = "default";
  private static final String COLLECTION = "/api/v1/namespaces/" + NS + "/configmaps";
  private static final double WRITE_P99_TARGET_MS = 20;
  private static final long HEAP_TARGET_BYTES = 1L << 30;

  private final Options opt;
  private final List<String> lines = new ArrayList<>();
  private final String runId;
  private HubJvm hub;
  private long hubPid = -1;
  private URI base;
  private String token;
  private javax.net.ssl.SSLSocketFactory tls;
  private CpuMeter cpu;

  /** Names of every object this run created, for the read phases. */
  private volatile String[] names = new String[0];

  private long createdTotal;

  private HubApiBench(Options opt) {
    this.opt = opt;
    SplittableRandom r = new SplittableRandom();
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      id.append((char) ('a' + r.nextInt(26)));
    }
    this.runId = id.toString();
  }

  public static void main(String[] args) throws Exception {
    Options opt;
    try {
      opt = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("hub-api bench: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    HubApiBench bench = new HubApiBench(opt);
    Thread hook = new Thread(bench::cleanup, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = 0;
    try {
      bench.run();
    } catch (Exception e) {
      System.err.println("hub-api bench failed: " + e);
      e.printStackTrace();
      code = 1;
    } finally {
      bench.cleanup();
    }
    System.exit(code);
  }

  private synchronized void cleanup() {
    if (hub != null) {
      hub.close();
      hub = null;
    }
  }

  // ------------------------------------------------------------------------------------------

  private void run() throws Exception {
    Files.createDirectories(opt.out);
    long runStart = System.nanoTime();
    say(
        "# hub-api bench %s, %d cores, load average at start %s, java %s",
        LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19),
        Runtime.getRuntime().availableProcessors(),
        Proc.loadAverage(),
        System.getProperty("java.version"));
    Path probeDir =
        opt.hubData != null
            ? opt.hubData
            : opt.dataRoot != null ? opt.dataRoot : Path.of(System.getProperty("java.io.tmpdir"));
    if (opt.fsyncProbeSeconds > 0 && Files.isDirectory(probeDir)) {
      fsyncProbe(probeDir);
    }
    if (opt.hubUrl != null) {
      base = URI.create(opt.hubUrl);
      token = Files.readString(opt.tokenFile, StandardCharsets.UTF_8).trim();
      hubPid = opt.hubPid;
      if (base.getScheme().equals("https")) {
        tls = RawHttp.tls(opt.caFile);
        if (opt.caFile == null) {
          say("note: no --ca-file, so the hub's certificate is not checked");
        }
      }
      say("hub: external %s (pid %s)", base, hubPid > 0 ? hubPid : "unknown: no heap figures");
    } else {
      Path data =
          opt.dataRoot == null
              ? Files.createTempDirectory("meridian-hub-bench-")
              : Files.createDirectories(opt.dataRoot.resolve("hub-data-" + runId));
      synchronized (this) {
        try {
          hub =
              HubJvm.start(
                  data,
                  opt.out,
                  new HubJvm.Options()
                      .heap(opt.hubHeap, true)
                      .jvmOptions(opt.hubJvmOptions)
                      .gcPhases()
                      .plainHttp(opt.plainHttp)
                      .timeouts(Duration.ofSeconds(60), Duration.ofSeconds(10))
                      .deleteData(!opt.keepData));
        } catch (IOException | RuntimeException e) {
          if (!opt.keepData) {
            Jdk.deleteTree(data);
          }
          throw e;
        }
      }
      base = URI.create(hub.url());
      token = Files.readString(hub.tokenFile(), StandardCharsets.UTF_8).trim();
      hubPid = hub.pid();
      if (hub.caFile() != null) {
        tls = RawHttp.tls(hub.caFile());
      }
      say(
          "hub: child JVM pid %d at %s (%s), -Xms%s -Xmx%s %s, data in %s, log in %s",
          hubPid,
          base,
          tls == null ? "plain HTTP" : "TLS, certificate checked against the hub's CA",
          opt.hubHeap,
          opt.hubHeap,
          opt.hubJvmOptions.isEmpty() ? "(G1)" : String.join(" ", opt.hubJvmOptions),
          data,
          opt.out.resolve("hub.log"));
    }
    cpu = new CpuMeter(hubPid, ticksPerSecond());

    Long baselineHeap = null;
    if (hubPid > 0) {
      baselineHeap = Jdk.heapUsedAfterFullGc(hubPid, 1);
      say("hub heap after GC at start (empty store): %.1f MiB", mib(baselineHeap));
    }

    // capacity first, so the heap is measured at exactly --objects objects; the fill also warms
    // up the create path, and the later phases then run against a store of that size
    Capacity cap = null;
    if (opt.objects > 0) {
      cap = capacity(baselineHeap);
    }

    // warm-up: JIT on both sides, connections, store files; excluded from every figure. It lasts
    // until the hub's JIT compiler threads go quiet (at least --warmup s, at most --warmup-max s):
    // a fixed 3 s left C2 compiling through most of the write phase on 2 busy cores
    AtomicBoolean warmStop = new AtomicBoolean();
    double[] jitAtEnd = {Double.NaN};
    Phase warm =
        phase(
            "warm-up",
            opt.clients,
            Math.max(opt.warmupSeconds, opt.warmupMaxSeconds),
            c -> c.next(50) ? create(c, "w") : read(c),
            true,
            warmStop,
            () -> startJitWatch(warmStop, jitAtEnd));
    say(
        "warm-up: %.1f s (until the hub's JIT used < %.2f cores for %d s; at the end: %.2f), %d"
            + " requests, %d errors (excluded)",
        warm.seconds,
        JIT_QUIET_CORES,
        JIT_QUIET_SECONDS,
        jitAtEnd[0],
        warm.writes.count() + warm.reads.count(),
        warm.errorCount());
    if (warm.writes.count() == 0) {
      throw new IllegalStateException(
          "no create succeeded during the warm-up; first errors: " + warm.errorSamples);
    }

    // (1) writes
    // the profiler starts once the connections (and their TLS handshakes) are up
    JfrProfile[] jfr = new JfrProfile[1];
    Phase write =
        phase(
            "write",
            opt.clients,
            opt.writeSeconds,
            c -> create(c, "p"),
            true,
            null,
            () -> {
              if (opt.profile && hubPid > 0) {
                jfr[0] = JfrProfile.start(hubPid, opt.out.resolve("write-phase.jfr"), true, 96);
              }
            });
    JfrProfile.Report profile = jfr[0] == null ? null : jfr[0].stop();
    reportWrites(write);
    if (profile != null) {
      reportProfile("write", write.seconds, profile);
    }
    List<Phase> sweep = new ArrayList<>();
    for (String n : opt.sweep.split(",")) {
      if (!n.isBlank()) {
        int clients = Integer.parseInt(n.trim());
        Phase p =
            phase("sweep-" + clients, clients, opt.sweepSeconds, c -> create(c, "s" + clients));
        sweep.add(p);
        say(
            "write sweep, %d clients: %.0f writes/s; p50 %.2f p90 %.2f p99 %.2f max %.2f ms; errors %d;"
                + " hub %.2f cores, other %.2f",
            clients,
            p.writes.count() / p.seconds,
            p.writes.percentileMillis(50),
            p.writes.percentileMillis(90),
            p.writes.percentileMillis(99),
            p.writes.maxMillis(),
            p.errorCount(),
            p.cpu.hub(),
            p.cpu.other());
        if (!p.threads.isEmpty()) {
          say("  %s", p.threadLine());
        }
        if (p.gc != null) {
          say("  %s", p.gcLine());
        }
      }
    }

    // (2) reads of random existing objects
    JfrProfile[] readJfr = new JfrProfile[1];
    Phase read =
        phase(
            "read",
            opt.clients,
            opt.readSeconds,
            this::read,
            true,
            null,
            () -> {
              if (opt.profile && hubPid > 0) {
                readJfr[0] = JfrProfile.start(hubPid, opt.out.resolve("read-phase.jfr"), true, 96);
              }
            });
    JfrProfile.Report readProfile = readJfr[0] == null ? null : readJfr[0].stop();
    reportReads(read);
    if (readProfile != null) {
      reportProfile("read", read.seconds, readProfile);
    }

    // (3) mixed
    Phase mixed = null;
    JfrProfile.Report mixedProfile = null;
    if (opt.mixedSeconds > 0) {
      int pct = opt.mixedWritePercent;
      JfrProfile[] mixedJfr = new JfrProfile[1];
      mixed =
          phase(
              "mixed",
              opt.clients,
              opt.mixedSeconds,
              c -> c.next(pct) ? create(c, "m") : read(c),
              true,
              null,
              () -> {
                if (opt.profile && hubPid > 0) {
                  mixedJfr[0] =
                      JfrProfile.start(hubPid, opt.out.resolve("mixed-phase.jfr"), true, 96);
                }
              });
      mixedProfile = mixedJfr[0] == null ? null : mixedJfr[0].stop();
      say(
          "mixed phase (%d%% writes): %d clients, %.1f s: %.0f req/s; writes %.0f/s p50 %.2f p99 %.2f ms;"
              + " reads %.0f/s p50 %.2f p99 %.2f ms; errors %d",
          pct,
          opt.clients,
          mixed.seconds,
          (mixed.writes.count() + mixed.reads.count()) / mixed.seconds,
          mixed.writes.count() / mixed.seconds,
          mixed.writes.percentileMillis(50),
          mixed.writes.percentileMillis(99),
          mixed.reads.count() / mixed.seconds,
          mixed.reads.percentileMillis(50),
          mixed.reads.percentileMillis(99),
          mixed.errorCount());
      say("  %s", mixed.cpu);
      if (!mixed.threads.isEmpty()) {
        say("  %s", mixed.threadLine());
      }
      if (mixed.gc != null) {
        say("  %s", mixed.gcLine());
      }
      if (mixedProfile != null) {
        reportProfile("mixed", mixed.seconds, mixedProfile);
      }
    }

    // (4) one object, ours and wrk's, same duration and connection count
    Phase one = null;
    WrkResult wrk = null;
    if (opt.wrkSeconds > 0 && names.length > 0) {
      String target = names[0];
      one = phase("read-one", opt.clients, opt.wrkSeconds, c -> readName(c, target));
      say(
          "single-object GET, this client: %d conns, %.1f s: %.0f reads/s, p50 %.2f p99 %.2f max %.2f ms, errors %d",
          opt.clients,
          one.seconds,
          one.reads.count() / one.seconds,
          one.reads.percentileMillis(50),
          one.reads.percentileMillis(99),
          one.reads.maxMillis(),
          one.errorCount());
      say("  %s", one.cpu);
      if (!one.threads.isEmpty()) {
        say("  %s", one.threadLine());
      }
      if (one.gc != null) {
        say("  %s", one.gcLine());
      }
      wrk = runWrk(base + COLLECTION + "/" + target);
    }

    // (5) capacity
    summary(write, sweep, read, mixed, one, wrk, cap, (System.nanoTime() - runStart) / 1e9);
    Path results = opt.out.resolve("results.txt");
    Files.write(results, lines, StandardCharsets.UTF_8);
    System.out.println("(this report is also in " + results + ")");
  }

  // ---- operations ----------------------------------------------------------------------------

  /** One client step; false stops this client before the deadline. */
  interface Step {
    boolean run(Client c) throws IOException;
  }

  private boolean create(Client c, String tag) throws IOException {
    String name = "bench-" + runId + "-" + tag + "-" + c.id + "-" + c.seq++;
    byte[] req = c.http.post(COLLECTION, c.configMap(name));
    long t0 = System.nanoTime();
    RawHttp.Response r = c.http.send(req, false);
    long t = System.nanoTime() - t0;
    if (r.status() == 201) {
      c.writes.record(t);
      if (c.keepNames) {
        c.created.add(name);
      }
      c.createdCount++;
      return true;
    }
    c.error("create: HTTP " + r.status(), r.bodyText());
    return true;
  }

  /** GET of a random object this run created (during warm-up: one this client created). */
  private boolean read(Client c) throws IOException {
    String[] pool = names;
    if (pool.length > 0) {
      return readName(c, pool[c.rnd.nextInt(pool.length)]);
    }
    if (!c.created.isEmpty()) {
      return readName(c, c.created.get(c.rnd.nextInt(c.created.size())));
    }
    return create(c, "w");
  }

  private boolean readName(Client c, String name) throws IOException {
    byte[] req = c.http.get(COLLECTION + "/" + name);
    long t0 = System.nanoTime();
    RawHttp.Response r = c.http.send(req, false);
    long t = System.nanoTime() - t0;
    if (r.status() == 200) {
      c.reads.record(t);
    } else {
      c.error("get: HTTP " + r.status(), r.bodyText());
    }
    return true;
  }

  // ---- phases --------------------------------------------------------------------------------

  /** One client: its connection and its own latency arrays. */
  final class Client {
    final int id;
    final RawHttp http;
    final SplittableRandom rnd;
    final Latencies writes = new Latencies();
    final Latencies reads = new Latencies();
    final Map<String, Integer> errors = new TreeMap<>();
    final Map<String, String> errorSamples = new HashMap<>();
    final List<String> created = new ArrayList<>();
    final boolean keepNames;
    final String padding;
    long createdCount;
    int seq;

    Client(int id, boolean keepNames) {
      this.id = id;
      this.http = new RawHttp(base, token, tls);
      this.rnd = new SplittableRandom(id * 7919L + System.nanoTime());
      this.keepNames = keepNames;
      // sized so that a whole ConfigMap's JSON is about opt.objectBytes
      int fixed = configMapJson("bench-" + runId + "-p-00-000000", "").length();
      StringBuilder p = new StringBuilder();
      for (int i = Math.max(0, opt.objectBytes - fixed); i > 0; i--) {
        p.append((char) ('a' + rnd.nextInt(26)));
      }
      this.padding = p.toString();
    }

    boolean next(int percent) {
      return rnd.nextInt(100) < percent;
    }

    byte[] configMap(String name) {
      return configMapJson(name, padding).getBytes(StandardCharsets.UTF_8);
    }

    void error(String kind, String detail) {
      errors.merge(kind, 1, Integer::sum);
      errorSamples.putIfAbsent(kind, detail.length() > 300 ? detail.substring(0, 300) : detail);
    }
  }

  private String configMapJson(String name, String padding) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{\"app\":\"hub-api-bench\",\"run\":\""
        + runId
        + "\"}},\"data\":{\"payload\":\""
        + padding
        + "\"}}";
  }

  /** What a phase measured. */
  static final class Phase {
    String name;
    int clients;
    double seconds;
    Latencies.Sorted writes;
    Latencies.Sorted reads;
    Map<String, Integer> errors = new TreeMap<>();
    Map<String, String> errorSamples = new TreeMap<>();
    CpuMeter.Usage cpu;
    List<ThreadStats.Usage> threads = List.of();
    HubJvm.Pauses gc;
    long connects;

    /** The hub's GC pauses during the phase, from its gc log. */
    String gcLine() {
      return String.format(
          Locale.ROOT,
          "hub GC pauses: %d, %.0f ms = %.1f%% of the phase, longest %.1f ms",
          gc.count(),
          gc.totalMillis(),
          gc.totalMillis() / seconds / 10,
          gc.maxMillis());
    }

    /** The hub's threads: cores on a CPU / cores runnable but waiting for one, by group. */
    String threadLine() {
      StringBuilder sb = new StringBuilder("hub threads, cores on CPU / waiting for CPU:");
      for (ThreadStats.Usage u : threads) {
        sb.append(
            String.format(
                Locale.ROOT, " %s(%d) %.2f/%.2f;", u.group(), u.threads(), u.onCpu(), u.waiting()));
      }
      return sb.toString();
    }

    long errorCount() {
      return errors.values().stream().mapToLong(Integer::longValue).sum();
    }
  }

  /** Runs once every client is connected, just before the phase's clock starts. */
  interface Hook {
    void run() throws Exception;
  }

  private Phase phase(String name, int clients, int seconds, Step step) throws Exception {
    return phase(name, clients, seconds, step, true, null, null);
  }

  /**
   * Runs {@code clients} threads, each doing {@code step} back to back on its own connection until
   * {@code seconds} have passed (or its step returns false, or {@code stop} is set).
   */
  private Phase phase(
      String name,
      int clients,
      int seconds,
      Step step,
      boolean keepNames,
      AtomicBoolean stop,
      Hook connectedHook)
      throws Exception {
    List<Client> cs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      cs.add(new Client(i, keepNames));
    }
    CountDownLatch connected = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong deadline = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (Client c : cs) {
      Thread t =
          new Thread(
              () -> {
                try {
                  c.http.open();
                } catch (IOException e) {
                  c.error("connect: " + e.getClass().getSimpleName(), String.valueOf(e));
                }
                connected.countDown();
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                long end = deadline.get();
                while (System.nanoTime() < end && (stop == null || !stop.get())) {
                  try {
                    if (!step.run(c)) {
                      break;
                    }
                  } catch (IOException e) {
                    c.error("i/o: " + e.getClass().getSimpleName(), String.valueOf(e));
                    pause(20); // the connection is closed; do not spin on a dead hub
                  }
                }
                c.http.close();
              },
              "bench-" + name + "-" + c.id);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    connected.await(30, TimeUnit.SECONDS);
    if (connectedHook != null) {
      connectedHook.run();
    }
    Thread sampler =
        opt.threadDumps > 0 && hubPid > 0 && name.equals(opt.dumpPhase)
            ? startThreadSampler(name, seconds)
            : null;
    ThreadStats threadStats = hubPid > 0 && opt.threadStats ? ThreadStats.start(hubPid) : null;
    CpuMeter.Reading cpuStart = cpu.read();
    long start = System.nanoTime();
    deadline.set(start + TimeUnit.SECONDS.toNanos(seconds));
    go.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(seconds + 60));
    }
    Phase p = new Phase();
    p.seconds = (System.nanoTime() - start) / 1e9;
    p.cpu = cpu.since(cpuStart);
    p.threads = threadStats == null ? List.of() : threadStats.since();
    if (hub != null) {
      p.gc = hub.pausesBetween(hub.uptimeAt(start), hub.uptimeAt(System.nanoTime()));
    }
    if (sampler != null) {
      sampler.join();
      summarizeThreadDumps(name);
    }
    p.name = name;
    p.clients = clients;
    List<Latencies> w = new ArrayList<>();
    List<Latencies> r = new ArrayList<>();
    List<String> created = new ArrayList<>();
    for (Client c : cs) {
      w.add(c.writes);
      r.add(c.reads);
      c.errors.forEach((k, v) -> p.errors.merge(k, v, Integer::sum));
      c.errorSamples.forEach(p.errorSamples::putIfAbsent);
      created.addAll(c.created);
      createdTotal += c.createdCount;
      p.connects += c.http.connects();
    }
    p.writes = Latencies.merge(w);
    p.reads = Latencies.merge(r);
    if (!created.isEmpty()) {
      String[] old = names;
      String[] all = new String[old.length + created.size()];
      System.arraycopy(old, 0, all, 0, old.length);
      for (int i = 0; i < created.size(); i++) {
        all[old.length + i] = created.get(i);
      }
      names = all;
    }
    p.errorSamples.forEach((k, v) -> say("  error %s x%d, e.g. %s", k, p.errors.get(k), v));
    if (p.connects > clients) {
      say(
          "  note: %d connections were opened for %d clients (server closed some)",
          p.connects, clients);
    }
    return p;
  }

  private void reportWrites(Phase w) {
    say(
        "write phase: %d clients, %.1f s: %d writes, %.0f writes/s; latency ms p50 %.2f p90 %.2f p99 %.2f"
            + " p99.9 %.2f max %.2f (mean %.2f); errors %d",
        w.clients,
        w.seconds,
        w.writes.count(),
        w.writes.count() / w.seconds,
        w.writes.percentileMillis(50),
        w.writes.percentileMillis(90),
        w.writes.percentileMillis(99),
        w.writes.percentileMillis(99.9),
        w.writes.maxMillis(),
        w.writes.meanMillis(),
        w.errorCount());
    say("  %s", w.cpu);
    if (!w.threads.isEmpty()) {
      say("  %s", w.threadLine());
    }
    if (w.gc != null) {
      say("  %s", w.gcLine());
    }
  }

  private void reportReads(Phase r) {
    say(
        "read phase (random objects of %d): %d clients, %.1f s: %d reads, %.0f reads/s; latency ms"
            + " p50 %.2f p90 %.2f p99 %.2f max %.2f; errors %d",
        names.length,
        r.clients,
        r.seconds,
        r.reads.count(),
        r.reads.count() / r.seconds,
        r.reads.percentileMillis(50),
        r.reads.percentileMillis(90),
        r.reads.percentileMillis(99),
        r.reads.maxMillis(),
        r.errorCount());
    say("  %s", r.cpu);
    if (!r.threads.isEmpty()) {
      say("  %s", r.threadLine());
    }
    if (r.gc != null) {
      say("  %s", r.gcLine());
    }
  }

  // ---- capacity ------------------------------------------------------------------------------

  record Capacity(
      long objects,
      boolean reached,
      double fillSeconds,
      Phase fill,
      Long heapBytes,
      Long baselineHeap,
      Jdk.Histogram histogram,
      long rss,
      Jdk.DiskUsage disk) {}

  private Capacity capacity(Long baselineHeap) throws Exception {
    long need = opt.objects - createdTotal;
    AtomicLong remaining = new AtomicLong(need);
    AtomicBoolean stop = new AtomicBoolean();
    long before = createdTotal;
    Phase fill = null;
    if (need > 0) {
      fill =
          phase(
              "fill",
              opt.fillClients,
              opt.fillTimeoutSeconds,
              c -> {
                if (remaining.getAndDecrement() <= 0) {
                  return false;
                }
                long ok = c.createdCount;
                create(c, "f");
                if (c.createdCount == ok) {
                  remaining.incrementAndGet(); // failed: someone must still make it
                }
                return true;
              },
              true,
              stop,
              null);
      say(
          "capacity fill: %d objects in %.1f s with %d clients: %.0f writes/s, p50 %.2f p99 %.2f max %.2f ms,"
              + " errors %d",
          createdTotal - before,
          fill.seconds,
          opt.fillClients,
          (createdTotal - before) / fill.seconds,
          fill.writes.percentileMillis(50),
          fill.writes.percentileMillis(99),
          fill.writes.maxMillis(),
          fill.errorCount());
      say("  %s", fill.cpu);
      if (!fill.threads.isEmpty()) {
        say("  %s", fill.threadLine());
      }
      if (fill.gc != null) {
        say("  %s", fill.gcLine());
      }
    }
    boolean reached = createdTotal >= opt.objects;
    if (!reached) {
      say(
          "capacity: only %d of %d objects after %d s (--fill-timeout)",
          createdTotal, opt.objects, opt.fillTimeoutSeconds);
    }
    Long heap = null;
    Jdk.Histogram histo = null;
    long rss = -1;
    if (hubPid > 0) {
      heap = Jdk.heapUsedAfterFullGc(hubPid, 1);
      histo = Jdk.histogram(hubPid);
      rss = Proc.rssBytes(hubPid);
      say("heap after GC with %d objects: %.0f MiB", createdTotal, mib(heap));
      if (baselineHeap != null && createdTotal > opt.objects) {
        say(
            "  (the earlier phases made more than %d; scaled to %d objects: %.0f MiB)",
            opt.objects,
            opt.objects,
            mib(baselineHeap + (heap - baselineHeap) * opt.objects / createdTotal));
      }
      if (baselineHeap != null) {
        say(
            "  = %.1f MiB at start + %.0f MiB for the objects (%.2f KiB per ~%d B object)",
            mib(baselineHeap),
            mib(heap - baselineHeap),
            (heap - baselineHeap) / 1024.0 / Math.max(1, createdTotal),
            opt.objectBytes);
      }
      say(
          "  live objects by class histogram: %.0f MiB in %d instances; hub RSS %.0f MiB; top classes:",
          mib(histo.totalBytes()), histo.totalInstances(), mib(rss));
      histo.top(12).forEach(l -> say("    %s", l));
    }
    Jdk.DiskUsage disk = null;
    Path data = hub != null ? hub.dataDir() : opt.hubData;
    if (data != null) {
      disk = Jdk.diskUsage(data);
      say("data dir on disk with %d objects: %.1f MiB (%s)", createdTotal, mib(disk.bytes()), data);
      disk.files().forEach(l -> say("    %s", l));
    }
    return new Capacity(
        createdTotal,
        reached,
        fill == null ? 0 : fill.seconds,
        fill,
        heap,
        baselineHeap,
        histo,
        rss,
        disk);
  }

  // ---- wrk -----------------------------------------------------------------------------------

  record WrkResult(
      double requestsPerSecond,
      double p50Millis,
      double p90Millis,
      double p99Millis,
      double maxMillis,
      long non2xx,
      String socketErrors,
      CpuMeter.Usage cpu) {}

  private WrkResult runWrk(String url) throws IOException, InterruptedException {
    List<String> cmd =
        List.of(
            "wrk",
            "-t" + opt.wrkThreads,
            "-c" + opt.clients,
            "-d" + opt.wrkSeconds + "s",
            "--latency",
            "-H",
            "Authorization: Bearer " + token,
            url);
    CpuMeter.Reading start = cpu.read();
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      say("wrk: not installed (%s); skipped. apt-get install -y wrk", e.getMessage());
      return null;
    }
    byte[] bytes = p.getInputStream().readAllBytes();
    if (!p.waitFor(opt.wrkSeconds + 30L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    String out = new String(bytes, StandardCharsets.UTF_8);
    CpuMeter.Usage usage = cpu.since(start);
    Files.writeString(opt.out.resolve("wrk.txt"), out, StandardCharsets.UTF_8);
    Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    if (!rps.find()) {
      say("wrk: could not parse its output:%n%s", out);
      return null;
    }
    Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)").matcher(out);
    Matcher sock = Pattern.compile("Socket errors:([^\\n]*)").matcher(out);
    Matcher max = Pattern.compile("Latency\\s+\\S+\\s+\\S+\\s+(\\S+)").matcher(out);
    WrkResult r =
        new WrkResult(
            Double.parseDouble(rps.group(1)),
            wrkPercentile(out, "50%"),
            wrkPercentile(out, "90%"),
            wrkPercentile(out, "99%"),
            max.find() ? wrkMillis(max.group(1)) : Double.NaN,
            non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
            sock.find() ? sock.group(1).trim() : "none",
            usage);
    say(
        "single-object GET, wrk -t%d -c%d -d%ds: %.0f reads/s, p50 %.2f p90 %.2f p99 %.2f max %.2f ms,"
            + " non-2xx %d, socket errors %s",
        opt.wrkThreads,
        opt.clients,
        opt.wrkSeconds,
        r.requestsPerSecond(),
        r.p50Millis(),
        r.p90Millis(),
        r.p99Millis(),
        r.maxMillis(),
        r.non2xx(),
        r.socketErrors());
    say("  %s (wrk counts as other)", usage);
    return r;
  }

  private static double wrkPercentile(String out, String label) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(label) + "\\s+(\\S+)").matcher(out);
    return m.find() ? wrkMillis(m.group(1)) : Double.NaN;
  }

  /** wrk prints "812.00us", "1.23ms", "2.01s". */
  private static double wrkMillis(String v) {
    Matcher m = Pattern.compile("([0-9.]+)(us|ms|s|m)").matcher(v);
    if (!m.matches()) {
      return Double.NaN;
    }
    double x = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> x / 1000;
      case "ms" -> x;
      case "s" -> x * 1000;
      default -> x * 60_000;
    };
  }

  // ---- thread dumps --------------------------------------------------------------------------

  private Thread startThreadSampler(String tag, int seconds) {
    Thread t =
        new Thread(
            () -> {
              long spacing = TimeUnit.SECONDS.toMillis(Math.max(1, seconds - 2)) / opt.threadDumps;
              pause(1000);
              for (int i = 0; i < opt.threadDumps; i++) {
                try {
                  String dump = Jdk.threadDump(hubPid);
                  Files.writeString(
                      opt.out.resolve(tag + "-threads-" + i + ".txt"),
                      dump,
                      StandardCharsets.UTF_8);
                } catch (IOException e) {
                  System.err.println("thread dump failed: " + e);
                } catch (InterruptedException e) {
                  return;
                }
                pause(spacing);
              }
            },
            "bench-thread-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Counts, over all dumps, where the hub's request threads and commit thread were: state, top
   * frame and the innermost Meridian frame.
   */
  private void summarizeThreadDumps(String tag) throws IOException {
    Map<String, Integer> where = new TreeMap<>();
    int dumps = 0;
    for (int i = 0; i < opt.threadDumps; i++) {
      Path f = opt.out.resolve(tag + "-threads-" + i + ".txt");
      if (!Files.exists(f)) {
        continue;
      }
      dumps++;
      for (String block : Files.readString(f).split("\n\\s*\n")) {
        String[] ls = block.strip().split("\n");
        if (ls.length < 2 || !ls[0].startsWith("\"")) {
          continue;
        }
        String thread = ls[0].substring(1, ls[0].indexOf('"', 1));
        String group = thread.replaceAll("-?\\d+$", "");
        if (!(group.equals("hub-api")
            || group.startsWith("meridian-store")
            || group.contains("EventLoop")
            || group.contains("epoll"))) {
          continue;
        }
        String state = ls[1].replace("java.lang.Thread.State:", "").trim();
        String top = "";
        String meridian = "";
        for (String l : ls) {
          String s = l.trim();
          if (s.startsWith("at ")) {
            String frame = s.substring(3).replaceAll("\\(.*", "");
            if (top.isEmpty()) {
              top = frame;
            }
            if (meridian.isEmpty() && frame.startsWith("dev.meridian.")) {
              meridian = frame;
            }
            if (frame.endsWith("ThreadPoolExecutor.getTask") && meridian.isEmpty()) {
              meridian = "(idle worker: ThreadPoolExecutor.getTask)";
            }
          }
        }
        where.merge(
            String.format("%-22s %-20s %s  <- %s", group, state, top, meridian), 1, Integer::sum);
      }
    }
    final int n = dumps;
    say(
        "  where the hub's threads were in %d thread dumps (count / dumps = threads on average):",
        n);
    where.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(15)
        .forEach(e -> say("    %5.1f  %s", e.getValue() / (double) n, e.getKey()));
  }

  // ---- summary -------------------------------------------------------------------------------

  private void summary(
      Phase write,
      List<Phase> sweep,
      Phase read,
      Phase mixed,
      Phase one,
      WrkResult wrk,
      Capacity cap,
      double total) {
    say("");
    say(
        "== summary: hub-api bench over %s, %d cores, %d clients, load average now %s, run took %.0f s ==",
        tls == null ? "plain HTTP" : "TLS",
        Runtime.getRuntime().availableProcessors(),
        opt.clients,
        Proc.loadAverage(),
        total);
    String fmt = "%-44s %s";
    say(
        fmt,
        "writes/s (create ~" + opt.objectBytes + " B ConfigMap)",
        String.format(
            "%.0f  (errors %d)", write.writes.count() / write.seconds, write.errorCount()));
    say(
        fmt,
        "write latency p50 / p90 / p99 / max",
        String.format(
            "%.2f / %.2f / %.2f / %.2f ms",
            write.writes.percentileMillis(50),
            write.writes.percentileMillis(90),
            write.writes.percentileMillis(99),
            write.writes.maxMillis()));
    if (fsyncProbe != null) {
      say(
          fmt,
          "disk: append 64 KiB + fsync p50 / p99",
          String.format(
              "%.2f / %.2f ms", fsyncProbe.percentileMillis(50), fsyncProbe.percentileMillis(99)));
    }
    for (Phase p : sweep) {
      say(
          fmt,
          "writes at " + p.clients + " clients: writes/s, p50 / p99",
          String.format(
              "%.0f, %.2f / %.2f ms",
              p.writes.count() / p.seconds,
              p.writes.percentileMillis(50),
              p.writes.percentileMillis(99)));
    }
    say(
        fmt,
        "reads/s (GET random object)",
        String.format("%.0f  (errors %d)", read.reads.count() / read.seconds, read.errorCount()));
    say(
        fmt,
        "read latency p50 / p99",
        String.format(
            "%.2f / %.2f ms", read.reads.percentileMillis(50), read.reads.percentileMillis(99)));
    if (mixed != null) {
      say(
          fmt,
          "mixed " + opt.mixedWritePercent + "% writes: req/s, write p99, read p99",
          String.format(
              "%.0f, %.2f ms, %.2f ms",
              (mixed.writes.count() + mixed.reads.count()) / mixed.seconds,
              mixed.writes.percentileMillis(99),
              mixed.reads.percentileMillis(99)));
    }
    if (one != null) {
      say(
          fmt,
          "GET one object: this client reads/s, p50/p99",
          String.format(
              "%.0f, %.2f / %.2f ms",
              one.reads.count() / one.seconds,
              one.reads.percentileMillis(50),
              one.reads.percentileMillis(99)));
      say(
          fmt,
          "GET one object: wrk reads/s, p50/p99",
          wrk == null
              ? "n/a (wrk not installed)"
              : String.format(
                  "%.0f, %.2f / %.2f ms  (wrk/ours = %.2fx)",
                  wrk.requestsPerSecond(),
                  wrk.p50Millis(),
                  wrk.p99Millis(),
                  wrk.requestsPerSecond() / (one.reads.count() / one.seconds)));
    }
    if (cap != null) {
      say(
          fmt,
          "heap after GC with " + cap.objects() + " objects",
          cap.heapBytes() == null
              ? "n/a (no hub pid)"
              : String.format("%.0f MiB", mib(cap.heapBytes())));
      say(
          fmt,
          "data dir on disk",
          cap.disk() == null ? "n/a" : String.format("%.1f MiB", mib(cap.disk().bytes())));
    }
    say("");
    String tfmt = "%-60s %-22s %s";
    say(tfmt, "target", "measured", "verdict");
    double p99 = write.writes.percentileMillis(99);
    boolean writeOk = !Double.isNaN(p99) && p99 <= WRITE_P99_TARGET_MS && write.errorCount() == 0;
    say(
        tfmt,
        "p99 single write <= 20 ms at " + opt.clients + " clients (embedded store)",
        String.format("p99 %.2f ms", p99),
        writeOk ? "MET" : "NOT MET");
    if (cap != null && cap.heapBytes() != null) {
      boolean heapOk = cap.reached() && cap.heapBytes() <= HEAP_TARGET_BYTES;
      say(
          tfmt,
          String.format("%,d objects in <= 1 GiB heap", opt.objects),
          String.format(
              "%.0f MiB%s",
              mib(cap.heapBytes()), cap.reached() ? "" : " (" + cap.objects() + " objs)"),
          heapOk ? "MET" : "NOT MET");
    } else {
      say(tfmt, String.format("%,d objects in <= 1 GiB heap", opt.objects), "not measured", "n/a");
    }
  }

  // ---- diagnostics ---------------------------------------------------------------------------

  private static final double JIT_QUIET_CORES = 0.10;
  private static final int JIT_QUIET_SECONDS = 2;

  /**
   * Sets {@code stop} once at least {@code --warmup} seconds have passed and the hub's compiler
   * threads have used less than {@link #JIT_QUIET_CORES} for {@link #JIT_QUIET_SECONDS} seconds in
   * a row. Without a hub pid the warm-up is simply {@code --warmup} seconds.
   */
  private void startJitWatch(AtomicBoolean stop, double[] jitAtEnd) throws Exception {
    long min = System.nanoTime() + TimeUnit.SECONDS.toNanos(opt.warmupSeconds);
    if (hubPid <= 0 || !opt.threadStats) {
      Thread t =
          new Thread(
              () -> {
                pause(TimeUnit.NANOSECONDS.toMillis(min - System.nanoTime()));
                stop.set(true);
              },
              "bench-warmup-timer");
      t.setDaemon(true);
      t.start();
      return;
    }
    ThreadStats stats = ThreadStats.start(hubPid);
    Thread t =
        new Thread(
            () -> {
              int quiet = 0;
              while (!stop.get()) {
                pause(1000);
                double jit = stats.cpuSinceLast("JIT");
                jitAtEnd[0] = jit;
                quiet = jit < JIT_QUIET_CORES ? quiet + 1 : 0;
                if (quiet >= JIT_QUIET_SECONDS && System.nanoTime() >= min) {
                  stop.set(true);
                }
              }
            },
            "bench-jit-watch");
    t.setDaemon(true);
    t.start();
  }

  private Latencies.Sorted fsyncProbe;

  /**
   * The floor under every acknowledged write: append 64 KiB (about one group-commit batch of 64
   * ConfigMaps) and fsync it, back to back, on the data directory's file system.
   */
  private void fsyncProbe(Path dir) throws IOException {
    Path f = Files.createTempFile(dir, "fsync-probe-", ".bin");
    Latencies l = new Latencies();
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64 * 1024);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(opt.fsyncProbeSeconds);
      while (System.nanoTime() < end && l.size() < 5000) {
        buf.clear();
        long t0 = System.nanoTime();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
        l.record(System.nanoTime() - t0);
      }
    } finally {
      Files.deleteIfExists(f);
    }
    fsyncProbe = Latencies.merge(List.of(l));
    say(
        "disk (%s): append 64 KiB + fsync, %d times: p50 %.2f p99 %.2f max %.2f ms",
        dir,
        fsyncProbe.count(),
        fsyncProbe.percentileMillis(50),
        fsyncProbe.percentileMillis(99),
        fsyncProbe.maxMillis());
  }

  private void reportProfile(String phase, double phaseSeconds, JfrProfile.Report r) {
    int n = Math.max(1, r.samples());
    say("  JFR stack samples of the hub during the %s phase: %d (Java code on CPU only)", phase, n);
    say("   by thread:");
    r.top(r.threads(), 6, null).forEach(l -> say("    %s", l));
    say("   top frames (self):");
    r.top(r.self(), 15, null).forEach(l -> say("    %s", l));
    say("   Meridian frames (inclusive):");
    r.top(r.inclusive(), 15, "dev.meridian.").forEach(l -> say("    %s", l));
    say("   library frames (inclusive):");
    for (String lib : List.of("com.fasterxml.", "io.netty.", "java.util.UUID", "java.security.")) {
      r.top(r.inclusive(), 4, lib).forEach(l -> say("    %s", l));
    }
    Latencies.Sorted f = r.fsyncs();
    say(
        "   fsyncs (jdk.FileForce): %d = %.0f/s, p50 %.2f p90 %.2f p99 %.2f max %.2f ms",
        f.count(),
        f.count() / phaseSeconds,
        f.percentileMillis(50),
        f.percentileMillis(90),
        f.percentileMillis(99),
        f.maxMillis());
    say("   parks >= 1 ms (jdk.ThreadPark), by thread, lock and Meridian frame: count, total ms");
    r.parks().entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]))
        .limit(8)
        .forEach(e -> say("    %7.0f %9.0f  %s", e.getValue()[0], e.getValue()[1], e.getKey()));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void say(String format, Object... args) {
    String s = String.format(Locale.ROOT, format, args);
    synchronized (lines) {
      lines.add(s);
    }
    System.out.println(s);
    System.out.flush();
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Double.parseDouble(s);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 100;
    }
  }

  // ---- options -------------------------------------------------------------------------------

  static final class Options {
    static final String USAGE =
        """
        usage: HubApiBench [options]
          --clients N              concurrent clients = connections (64)
          --warmup S               least warm-up seconds, excluded (5)
          --warmup-max S           most: the warm-up ends when the hub's JIT is quiet (30)
          --write-seconds S        write phase (15)
          --read-seconds S         read phase (10)
          --mixed-seconds S        mixed phase, 0 to skip (5)
          --mixed-write-percent P  share of writes in the mixed phase (10)
          --wrk-seconds S          single-object GET, ours then wrk's, 0 to skip (10)
          --wrk-threads N          wrk -t (2)
          --objects N              capacity target, 0 to skip (100000)
          --fill-clients N         clients filling the hub (128)
          --fill-timeout S         give up filling after S seconds (150)
          --object-bytes B         size of a ConfigMap's JSON (1024)
          --hub-heap SIZE          the child hub's -Xms and -Xmx (1g)
          --hub-jvm-opts "OPTS"    more JVM options for the child hub, e.g. "-XX:+UseZGC"
          --thread-dumps N         jcmd Thread.print N times during one phase (0)
          --dump-phase NAME        that phase: write, read, mixed, read-one, fill, sweep-N (write)
          --profile                JFR of the hub in the write, read and mixed phases
          --no-thread-stats        skip the per-thread CPU / run-queue figures of the hub
          --sweep LIST             short write runs at these client counts, or none (1,16)
          --sweep-seconds S        length of each sweep run (5)
          --fsync-probe-seconds S  time the disk's append+fsync first, 0 to skip (2)
          --out DIR                where logs and results.txt go (target/hub-api-run)
          --data-root DIR          parent of the child hub's data dir (the temp dir)
          --keep-data              keep the child hub's data dir
          --plain-http             child hub serves plain HTTP instead of TLS (its default)
          --hub URL --token-file F use a running hub instead of a child
          --ca-file F              its CA (PEM) for https; without it any certificate is accepted
          --hub-pid PID            its pid, for heap figures
          --hub-data DIR           its data dir, for the disk figure
        """;

    int clients = 64;
    int warmupSeconds = 5;
    int warmupMaxSeconds = 30;
    int writeSeconds = 15;
    int readSeconds = 10;
    int mixedSeconds = 5;
    int mixedWritePercent = 10;
    int wrkSeconds = 10;
    int wrkThreads = 2;
    long objects = 100_000;
    int fillClients = 128;
    int fillTimeoutSeconds = 150;
    int objectBytes = 1024;
    String hubHeap = "1g";
    List<String> hubJvmOptions = List.of();
    int threadDumps;
    String dumpPhase = "write";
    boolean profile;
    String sweep = "1,16";
    int sweepSeconds = 5;
    int fsyncProbeSeconds = 2;
    boolean threadStats = true;
    Path out = Path.of("target", "hub-api-run");
    Path dataRoot;
    boolean keepData;
    boolean plainHttp;
    Path caFile;
    String hubUrl;
    Path tokenFile;
    long hubPid = -1;
    Path hubData;

    static Options parse(String[] args) {
      Options o = new Options();
      Map<String, String> kv = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--keep-data")) {
          o.keepData = true;
        } else if (a.equals("--profile")) {
          o.profile = true;
        } else if (a.equals("--plain-http")) {
          o.plainHttp = true;
        } else if (a.equals("--no-thread-stats")) {
          o.threadStats = false;
        } else if (a.equals("--help") || a.equals("-h")) {
          System.out.println(USAGE);
          System.exit(0);
        } else if (a.startsWith("--") && i + 1 < args.length) {
          kv.put(a.substring(2), args[++i]);
        } else {
          throw new IllegalArgumentException("unknown or incomplete option: " + a);
        }
      }
      for (Map.Entry<String, String> e : kv.entrySet()) {
        String v = e.getValue();
        switch (e.getKey()) {
          case "clients" -> o.clients = positive(e.getKey(), v);
          case "warmup" -> o.warmupSeconds = nonNegative(e.getKey(), v);
          case "warmup-max" -> o.warmupMaxSeconds = nonNegative(e.getKey(), v);
          case "write-seconds" -> o.writeSeconds = positive(e.getKey(), v);
          case "read-seconds" -> o.readSeconds = positive(e.getKey(), v);
          case "mixed-seconds" -> o.mixedSeconds = nonNegative(e.getKey(), v);
          case "mixed-write-percent" -> o.mixedWritePercent = nonNegative(e.getKey(), v);
          case "wrk-seconds" -> o.wrkSeconds = nonNegative(e.getKey(), v);
          case "wrk-threads" -> o.wrkThreads = positive(e.getKey(), v);
          case "objects" -> o.objects = nonNegative(e.getKey(), v);
          case "fill-clients" -> o.fillClients = positive(e.getKey(), v);
          case "fill-timeout" -> o.fillTimeoutSeconds = positive(e.getKey(), v);
          case "object-bytes" -> o.objectBytes = positive(e.getKey(), v);
          case "hub-heap" -> o.hubHeap = v;
          case "hub-jvm-opts" ->
              o.hubJvmOptions = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
          case "thread-dumps" -> o.threadDumps = nonNegative(e.getKey(), v);
          case "dump-phase" -> o.dumpPhase = v;
          case "sweep" -> o.sweep = v.equals("none") ? "" : v;
          case "sweep-seconds" -> o.sweepSeconds = positive(e.getKey(), v);
          case "fsync-probe-seconds" -> o.fsyncProbeSeconds = nonNegative(e.getKey(), v);
          case "out" -> o.out = Path.of(v);
          case "data-root" -> o.dataRoot = Path.of(v);
          case "hub" -> o.hubUrl = v;
          case "token-file" -> o.tokenFile = Path.of(v);
          case "ca-file" -> o.caFile = Path.of(v);
          case "hub-pid" -> o.hubPid = positive(e.getKey(), v);
          case "hub-data" -> o.hubData = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option --" + e.getKey());
        }
      }
      if (o.hubUrl != null && o.tokenFile == null) {
        throw new IllegalArgumentException("--hub needs --token-file");
      }
      return o;
    }

    private static int positive(String name, String v) {
      int n = nonNegative(name, v);
      if (n == 0) {
        throw new IllegalArgumentException("--" + name + " must be positive");
      }
      return n;
    }

    private static int nonNegative(String name, String v) {
      try {
        int n = Integer.parseInt(v);
        if (n < 0) {
          throw new IllegalArgumentException("--" + name + " must not be negative");
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + ": not a number: " + v);
      }
    }
  }
}
