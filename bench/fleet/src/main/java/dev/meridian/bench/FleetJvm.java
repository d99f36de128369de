package dev.meridian.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hub under test in a child JVM of its own (so its heap and threads are measured alone), and
 * the JDK tools and {@code /proc} files pointed at it: {@code jcmd GC.run} / {@code GC.heap_info} /
 * {@code GC.class_histogram} / {@code Thread.print}.
 */
final class FleetJvm implements AutoCloseable {
  private final Process process;
  private final Path dataDir;
  private final String url;
  private final Path tokenFile;
  private final Path caFile;

  private FleetJvm(Process process, Path dataDir, String url, Path tokenFile, Path caFile) {
    this.process = process;
    this.dataDir = dataDir;
    this.url = url;
    this.tokenFile = tokenFile;
    this.caFile = caFile;
  }

  /**
   * Starts {@link FleetHubMain} with this JVM's classpath and waits (up to 90 s) until it serves.
   */
  static FleetJvm start(Path dataDir, String heap, long probeMillis, long graceMillis, Path outDir)
      throws IOException, InterruptedException {
    Path ready = outDir.resolve("hub.ready");
    Files.deleteIfExists(ready);
    Path log = outDir.resolve("hub.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:+UseG1GC");
    cmd.add("-XX:NativeMemoryTracking=summary"); // where the RSS goes: heap, threads, classes...
    cmd.add("-Xlog:gc:file=" + outDir.resolve("hub-gc.log") + ":uptime");
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FleetHubMain.class.getName());
    cmd.add(dataDir.toString());
    cmd.add(ready.toString());
    cmd.add(Long.toString(probeMillis));
    cmd.add(Long.toString(graceMillis));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // stdin stays a pipe: the child stops when it closes, even if this JVM is killed hard
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(ready)) {
      if (!p.isAlive()) {
        throw new IOException("the hub exited with " + p.exitValue() + " first; see " + log);
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("the hub did not start within 90 s; see " + log);
      }
      Thread.sleep(50);
    }
    List<String> lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
    return new FleetJvm(
        p,
        dataDir,
        lines.get(0).trim(),
        Path.of(lines.get(1).trim()),
        Path.of(lines.get(2).trim()));
  }

  String url() {
    return url;
  }

  Path tokenFile() {
    return tokenFile;
  }

  Path caFile() {
    return caFile;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
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
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
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
    deleteTree(dataDir);
  }

  // ---- measurements

  /** One look at the hub: live heap, threads, RSS and CPU. */
  record Snapshot(
      String label,
      long atNanos,
      long heapUsedAfterGc,
      long histogramBytes,
      Map<String, long[]> byClass,
      int osThreads,
      int javaThreads,
      Map<String, Integer> threadGroups,
      long rss,
      Map<String, Long> nativeCommitted,
      double cpuSeconds,
      String load) {}

  /**
   * A full GC (twice: the second one also frees what the first one's finalization released), the
   * heap in use after it, the class histogram of live objects, the thread dump and /proc figures.
   */
  Snapshot snapshot(String label, Path dumpDir) throws IOException, InterruptedException {
    String pid = Long.toString(pid());
    tool("jcmd", pid, "GC.run");
    tool("jcmd", pid, "GC.run");
    long used = heapUsed(tool("jcmd", pid, "GC.heap_info"));
    String histo = tool("jcmd", pid, "GC.class_histogram");
    if (dumpDir != null) {
      Files.writeString(dumpDir.resolve("histogram-" + label + ".txt"), histo);
    }
    Map<String, long[]> byClass = new HashMap<>();
    long histoTotal = -1;
    Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    for (String line : histo.split("\n")) {
      Matcher m = row.matcher(line);
      if (m.find()) {
        long[] v = byClass.computeIfAbsent(m.group(3), k -> new long[2]);
        v[0] += Long.parseLong(m.group(1)); // instances
        v[1] += Long.parseLong(m.group(2)); // bytes
      } else if (line.startsWith("Total")) {
        histoTotal = Long.parseLong(line.trim().split("\\s+")[2]);
      }
    }
    String dump = tool("jcmd", pid, "Thread.print");
    if (dumpDir != null) {
      Files.writeString(dumpDir.resolve("threads-" + label + ".txt"), dump);
    }
    Map<String, Integer> groups = new TreeMap<>();
    int java = 0;
    // Java threads: "name" #12 daemon prio=5 ...; VM threads: "VM Thread" os_prio=0 ...
    Matcher t = Pattern.compile("(?m)^\"([^\"]*)\"( #\\d+)?").matcher(dump);
    while (t.find()) {
      if (t.group(2) != null) {
        java++;
      }
      groups.merge(group(t.group(1)), 1, Integer::sum);
    }
    return new Snapshot(
        label,
        System.nanoTime(),
        used,
        histoTotal,
        byClass,
        procStatus(pid(), "Threads:"),
        java,
        groups,
        procStatus(pid(), "VmRSS:") * 1024L,
        nativeMemory(pid),
        cpuSeconds(pid()),
        loadAverage());
  }

  /**
   * Committed bytes by Native Memory Tracking category ({@code Total}, {@code Java Heap}, {@code
   * Thread}, {@code Class}, {@code Other} (direct buffers), ...), or empty without NMT.
   */
  static Map<String, Long> nativeMemory(String pid) throws InterruptedException {
    Map<String, Long> out = new TreeMap<>();
    String text;
    try {
      text = tool("jcmd", pid, "VM.native_memory", "summary");
    } catch (IOException e) {
      return out;
    }
    // "Total: reserved=2345KB, committed=1234KB" and "-  Java Heap (reserved=..KB, committed=..KB)"
    Matcher m =
        Pattern.compile(
                "(?m)^(?:-\\s*)?([A-Za-z][A-Za-z ]*?)\\s*[:(]\\s*reserved=(\\d+)KB,\\s*committed=(\\d+)KB")
            .matcher(text);
    while (m.find()) {
      out.put(m.group(1).trim(), Long.parseLong(m.group(3)) * 1024);
    }
    return out;
  }

  /** A thread's name without its number, so pools count as one group. */
  static String group(String name) {
    String g = name.replaceAll("-\\d+-", "-N-");
    for (String s = g; ; s = g) {
      g = s.replaceAll("[-#]?\\d+$", "");
      if (g.equals(s)) {
        break;
      }
    }
    if (g.startsWith("GC Thread") || g.startsWith("G1 ")) {
      return "GC (G1)";
    }
    if (g.contains("CompilerThread")) {
      return "JIT compiler";
    }
    return g;
  }

  private static long heapUsed(String info) throws IOException {
    // G1: " garbage-first heap   total 2097152K, used 123456K [0x..." (Metaspace is not heap)
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

  /** A number from /proc/PID/status (kB for sizes), or -1. */
  static int procStatus(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key)) {
          return Integer.parseInt(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or gone
    }
    return -1;
  }

  /** User + system CPU time of a process in seconds, from /proc/PID/stat, or -1. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after "(comm)": state is [0], utime is field 14 of the whole line -> [11], stime
      // [12]
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks / 100.0; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** Runs a JDK tool from this JVM's java.home; returns its output, fails on a non-zero exit. */
  static String tool(String name, String... args) throws IOException, InterruptedException {
    Path bin = Path.of(System.getProperty("java.home"), "bin", name);
    List<String> cmd = new ArrayList<>();
    cmd.add(Files.isExecutable(bin) ? bin.toString() : name);
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("fleet-bench-" + name, ".out");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(name + " " + String.join(" ", args) + " timed out");
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(name + " " + String.join(" ", args) + " failed: " + text.strip());
      }
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
