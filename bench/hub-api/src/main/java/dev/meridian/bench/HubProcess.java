package dev.meridian.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hub under test in a child JVM of its own (so its heap is measured alone and client and server
 * do not share a heap or a GC), plus the JDK tools pointed at it: {@code jcmd} for a full GC, the
 * heap after it, a class histogram and thread dumps; {@code jstat} for GC counts.
 */
final class HubProcess implements AutoCloseable {
  private final Process process;
  private final Path dataDir;
  private final Path gcLog;
  private final long startedNanos;
  private final boolean deleteData;
  private final String url;
  private final Path tokenFile;
  private final Path caFile;

  private HubProcess(
      Process process,
      Path dataDir,
      Path gcLog,
      long startedNanos,
      boolean deleteData,
      String url,
      Path tokenFile,
      Path caFile) {
    this.process = process;
    this.dataDir = dataDir;
    this.gcLog = gcLog;
    this.startedNanos = startedNanos;
    this.deleteData = deleteData;
    this.url = url;
    this.tokenFile = tokenFile;
    this.caFile = caFile;
  }

  /**
   * Starts {@link HubMain} with the benchmark's own classpath and waits until it serves.
   *
   * @param heap the child's {@code -Xmx}, e.g. {@code 1g}
   * @param outDir where {@code hub.log} and {@code hub-gc.log} go
   */
  static HubProcess start(
      Path dataDir,
      String heap,
      List<String> jvmOptions,
      boolean plainHttp,
      Path outDir,
      boolean deleteData)
      throws IOException, InterruptedException {
    Path ready = outDir.resolve("hub.ready");
    Files.deleteIfExists(ready);
    Path gcLog = outDir.resolve("hub-gc.log");
    Path log = outDir.resolve("hub.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xms" + heap); // a fixed heap: no resizing noise, and the target is about this size
    cmd.add("-Xmx" + heap);
    if (jvmOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
      cmd.add("-XX:+UseG1GC");
    }
    cmd.addAll(jvmOptions);
    cmd.add("-Xlog:gc,gc+phases=info:file=" + gcLog + ":uptime");
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(HubMain.class.getName());
    cmd.add(dataDir.toString());
    cmd.add(ready.toString());
    cmd.add(plainHttp ? "plain" : "tls");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // stdin stays a pipe: the child stops when it closes, even if this JVM is killed hard
    long started = System.nanoTime();
    Process p = pb.start();
    long deadline = started + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(ready)) {
      if (!p.isAlive()) {
        throw new IOException(
            "the hub exited with code " + p.exitValue() + " before serving; see " + log);
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("the hub did not start within 60 s; see " + log);
      }
      Thread.sleep(50);
    }
    List<String> lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
    String ca = lines.get(2).trim();
    return new HubProcess(
        p,
        dataDir,
        gcLog,
        started,
        deleteData,
        lines.get(0).trim(),
        Path.of(lines.get(1).trim()),
        ca.equals("-") ? null : Path.of(ca));
  }

  String url() {
    return url;
  }

  Path tokenFile() {
    return tokenFile;
  }

  /** The CA of the hub's serving certificate, or null over plain HTTP. */
  Path caFile() {
    return caFile;
  }

  long pid() {
    return process.pid();
  }

  Path dataDir() {
    return dataDir;
  }

  /** Seconds of the child JVM's uptime at {@code nanoTime} (for matching GC log lines). */
  double uptimeAt(long nanoTime) {
    return (nanoTime - startedNanos) / 1e9;
  }

  Path gcLog() {
    return gcLog;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        OutputStream stdin = process.getOutputStream();
        stdin.close(); // asks HubMain to close the hub cleanly
      } catch (IOException e) {
        // it is going away anyway
      }
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
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
    if (deleteData) {
      deleteTree(dataDir);
    }
  }

  // ---- JDK tools against any JVM pid ----

  /** Runs a JDK tool from this JVM's java.home and returns its output (stdout and stderr). */
  static String tool(String name, String... args) throws IOException, InterruptedException {
    Path bin = Path.of(System.getProperty("java.home"), "bin", name);
    List<String> cmd = new ArrayList<>();
    cmd.add(Files.isExecutable(bin) ? bin.toString() : name);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(name + " timed out");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(name + " " + String.join(" ", args) + " failed: " + text.strip());
    }
    return text;
  }

  /** Heap in use right after a full GC, in bytes (jcmd GC.run, then GC.heap_info). */
  static long heapUsedAfterFullGc(long pid) throws IOException, InterruptedException {
    tool("jcmd", Long.toString(pid), "GC.run");
    String info = tool("jcmd", Long.toString(pid), "GC.heap_info");
    // G1: " garbage-first heap   total 1048576K, used 123456K [0x..."; ZGC: " ZHeap  used 14M,
    // ...";
    // Parallel: one "used" per generation. Metaspace is not heap.
    Pattern used = Pattern.compile("\\bused (\\d+)([KMG])\\b");
    long bytes = 0;
    boolean found = false;
    for (String line : info.split("\n")) {
      if (line.contains("Metaspace") || line.contains("class space")) {
        continue;
      }
      Matcher m = used.matcher(line);
      if (m.find()) {
        long n = Long.parseLong(m.group(1));
        bytes += n << (m.group(2).equals("K") ? 10 : m.group(2).equals("M") ? 20 : 30);
        found = true;
      }
    }
    if (!found) {
      throw new IOException("cannot read the used heap from: " + info.strip());
    }
    return bytes;
  }

  /** The class histogram of live objects (it runs a full GC itself). */
  record Histogram(long totalBytes, long totalInstances, List<String> top) {}

  static Histogram histogram(long pid, int topN) throws IOException, InterruptedException {
    String text = tool("jcmd", Long.toString(pid), "GC.class_histogram");
    long bytes = -1;
    long instances = -1;
    List<String> top = new ArrayList<>();
    Pattern row = Pattern.compile("^\\s*(\\d+):\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    for (String line : text.split("\n")) {
      Matcher m = row.matcher(line);
      if (m.find() && top.size() < topN) {
        top.add(
            String.format(
                "%9.1f MiB %10s  %s",
                Long.parseLong(m.group(3)) / 1048576.0, m.group(2), m.group(4)));
      } else if (line.startsWith("Total")) {
        String[] f = line.trim().split("\\s+");
        instances = Long.parseLong(f[1]);
        bytes = Long.parseLong(f[2]);
      }
    }
    return new Histogram(bytes, instances, top);
  }

  /** The {@code jstat -gc} columns (S0C ... YGC YGCT FGC FGCT CGC CGCT GCT) by name. */
  static Map<String, Double> jstatGc(long pid) throws IOException, InterruptedException {
    String[] lines = tool("jstat", "-gc", Long.toString(pid)).strip().split("\n");
    String[] names = lines[0].trim().split("\\s+");
    String[] values = lines[lines.length - 1].trim().split("\\s+");
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(names.length, values.length); i++) {
      try {
        out.put(names[i], Double.parseDouble(values[i]));
      } catch (NumberFormatException e) {
        // "-" for a column this collector lacks
      }
    }
    return out;
  }

  /** Resident set size of a process in bytes, from /proc, or -1. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /** GC pauses in the child's gc log between two uptimes: count, total and max in ms. */
  record Pauses(int count, double totalMillis, double maxMillis) {}

  Pauses pausesBetween(double fromUptime, double toUptime) {
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

  /** Bytes of all files under {@code dir}, and a line per file. */
  record DiskUsage(long bytes, List<String> files) {}

  static DiskUsage diskUsage(Path dir) throws IOException {
    List<String> files = new ArrayList<>();
    long total = 0;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        long size = Files.size(f);
        total += size;
        files.add(String.format("%10.1f MiB  %s", size / 1048576.0, dir.relativize(f)));
      }
    }
    return new DiskUsage(total, files);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
