package dev.meridian.bench.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub under test in a child JVM of its own ({@link HubChild}, started from this JVM's
 * classpath), so that its heap, threads and CPU are measured alone and client and server share no
 * heap or GC. Its output goes to {@code hub.log} and its gc log to {@code hub-gc.log} in the run's
 * directory. The child's stdin stays a pipe: it stops when the pipe closes, even if this JVM is
 * killed hard; {@link #close} closes it, then kills the child if it lingers.
 */
public final class HubJvm implements AutoCloseable {
  /** How to start the child; the defaults are G1, {@code -Xmx1g}, TLS, no extras. */
  public static final class Options {
    private String heap = "1g";
    private boolean fixedHeap;
    private List<String> jvmOptions = List.of();
    private boolean nativeMemoryTracking;
    private boolean gcPhases;
    private boolean plainHttp;
    private Duration probe;
    private Duration grace;
    private Duration resync;
    private Class<? extends HubChild.Companion> companion;
    private Duration startTimeout = Duration.ofSeconds(90);
    private Duration stopTimeout = Duration.ofSeconds(15);
    private boolean deleteData = true;

    /** The child's {@code -Xmx}, e.g. {@code 1g}; with {@code fixed}, its {@code -Xms} too. */
    public Options heap(String heap, boolean fixed) {
      this.heap = heap;
      this.fixedHeap = fixed;
      return this;
    }

    /** More JVM options; G1 is added unless one of them names a collector. */
    public Options jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(jvmOptions);
      return this;
    }

    /** {@code -XX:NativeMemoryTracking=summary}, for {@link Jdk#nativeMemory}. */
    public Options nativeMemoryTracking() {
      this.nativeMemoryTracking = true;
      return this;
    }

    /** Logs G1's pause phases too ({@code -Xlog:gc,gc+phases=info}), not only the pauses. */
    public Options gcPhases() {
      this.gcPhases = true;
      return this;
    }

    public Options plainHttp(boolean plainHttp) {
      this.plainHttp = plainHttp;
      return this;
    }

    /** The hub's cluster health probe interval and grace period. */
    public Options health(Duration probe, Duration grace) {
      this.probe = probe;
      this.grace = grace;
      return this;
    }

    /** The hub's controllers' resync period. */
    public Options resync(Duration resync) {
      this.resync = resync;
      return this;
    }

    /** A {@link HubChild.Companion} to run in the child beside the hub (see {@link #extra}). */
    public Options companion(Class<? extends HubChild.Companion> companion) {
      this.companion = companion;
      return this;
    }

    /** How long the hub may take to serve; how long {@link #close} waits for it to stop. */
    public Options timeouts(Duration start, Duration stop) {
      this.startTimeout = start;
      this.stopTimeout = stop;
      return this;
    }

    /** Whether {@link #close} deletes the data directory (the default). */
    public Options deleteData(boolean deleteData) {
      this.deleteData = deleteData;
      return this;
    }
  }

  private final Process process;
  private final Path dataDir;
  private final Path gcLog;
  private final long startedNanos;
  private final Options options;
  private final String url;
  private final Path tokenFile;
  private final Path caFile;
  private final List<String> extra;

  private HubJvm(
      Process process,
      Path dataDir,
      Path gcLog,
      long startedNanos,
      Options options,
      List<String> ready) {
    this.process = process;
    this.dataDir = dataDir;
    this.gcLog = gcLog;
    this.startedNanos = startedNanos;
    this.options = options;
    this.url = ready.get(0).trim();
    this.tokenFile = Path.of(ready.get(1).trim());
    String ca = ready.get(2).trim();
    this.caFile = ca.equals("-") ? null : Path.of(ca);
    this.extra = ready.subList(3, ready.size()).stream().map(String::trim).toList();
  }

  /** Starts {@link HubChild} with this JVM's classpath and waits until it serves. */
  public static HubJvm start(Path dataDir, Path outDir, Options o)
      throws IOException, InterruptedException {
    Path ready = outDir.resolve("hub.ready");
    Files.deleteIfExists(ready);
    Path gcLog = outDir.resolve("hub-gc.log");
    Path log = outDir.resolve("hub.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (o.fixedHeap) {
      cmd.add("-Xms" + o.heap); // no resizing noise
    }
    cmd.add("-Xmx" + o.heap);
    if (o.jvmOptions.stream().noneMatch(x -> x.matches("-XX:\\+Use\\w+GC"))) {
      cmd.add("-XX:+UseG1GC");
    }
    if (o.nativeMemoryTracking) {
      cmd.add("-XX:NativeMemoryTracking=summary"); // where the RSS goes: heap, threads, classes...
    }
    cmd.addAll(o.jvmOptions);
    cmd.add("-Xlog:" + (o.gcPhases ? "gc,gc+phases=info" : "gc") + ":file=" + gcLog + ":uptime");
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(HubChild.class.getName());
    cmd.add(dataDir.toString());
    cmd.add(ready.toString());
    if (o.plainHttp) {
      cmd.add("--plain-http");
    }
    if (o.probe != null) {
      cmd.add("--health");
      cmd.add(Long.toString(o.probe.toMillis()));
      cmd.add(Long.toString(o.grace.toMillis()));
    }
    if (o.resync != null) {
      cmd.add("--resync");
      cmd.add(Long.toString(o.resync.toMillis()));
    }
    if (o.companion != null) {
      cmd.add("--companion");
      cmd.add(o.companion.getName());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // stdin stays a pipe: the child stops when it closes, even if this JVM is killed hard
    long started = System.nanoTime();
    Process p = pb.start();
    long deadline = started + o.startTimeout.toNanos();
    while (!Files.exists(ready)) {
      if (!p.isAlive()) {
        throw new IOException(
            "the hub exited with code " + p.exitValue() + " before serving; see " + log);
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException(
            "the hub did not start within " + o.startTimeout.toSeconds() + " s; see " + log);
      }
      Thread.sleep(50);
    }
    List<String> lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
    return new HubJvm(p, dataDir, gcLog, started, o, lines);
  }

  public String url() {
    return url;
  }

  public Path tokenFile() {
    return tokenFile;
  }

  /** The CA of the hub's serving certificate, or null over plain HTTP. */
  public Path caFile() {
    return caFile;
  }

  /** What the companion wrote to the ready file (empty without one). */
  public List<String> extra() {
    return extra;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path gcLog() {
    return gcLog;
  }

  /** User + system CPU seconds the hub has used so far (-1 if unknown). */
  public double cpuSeconds() {
    return Proc.cpuSeconds(pid());
  }

  /** Seconds of the child JVM's uptime at {@code nanoTime} (for matching gc log lines). */
  public double uptimeAt(long nanoTime) {
    return (nanoTime - startedNanos) / 1e9;
  }

  /** GC pauses in the child's gc log between two uptimes: count, total and max in ms. */
  public record Pauses(int count, double totalMillis, double maxMillis) {}

  public Pauses pausesBetween(double fromUptime, double toUptime) {
    // [12.345s] GC(5) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(1024M) 12.345ms
    Pattern p = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].*Pause.* (\\d+\\.\\d+)ms\\s*$");
    int count = 0;
    double total = 0;
    double max = 0;
    try {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          double at = Double.parseDouble(m.group(1));
          if (at >= fromUptime && at <= toUptime) {
            double ms = Double.parseDouble(m.group(2));
            count++;
            total += ms;
            max = Math.max(max, ms);
          }
        }
      }
    } catch (IOException e) {
      return new Pauses(-1, 0, 0);
    }
    return new Pauses(count, total, max);
  }

  /** Closes the child's stdin (it closes the hub and exits), then kills it if it lingers. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // it is going away anyway
      }
      try {
        if (!process.waitFor(options.stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroy();
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (options.deleteData) {
      Jdk.deleteTree(dataDir);
    }
  }
}
