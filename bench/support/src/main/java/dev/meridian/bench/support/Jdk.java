package dev.meridian.bench.support;

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
 * The JDK's tools pointed at a JVM by pid ({@code jcmd GC.run}, {@code GC.heap_info}, {@code
 * GC.class_histogram}, {@code VM.native_memory}, {@code Thread.print}, {@code jfr}), and the files
 * a bench leaves behind.
 */
public final class Jdk {
  private Jdk() {}

  /**
   * Runs a JDK tool from this JVM's java.home (or from the PATH); returns its output (stdout and
   * stderr), fails on a non-zero exit or after 90 s.
   */
  public static String tool(String name, String... args) throws IOException, InterruptedException {
    Path bin = Path.of(System.getProperty("java.home"), "bin", name);
    List<String> cmd = new ArrayList<>();
    cmd.add(Files.isExecutable(bin) ? bin.toString() : name);
    cmd.addAll(List.of(args));
    // a file, not a pipe: a tool that hangs cannot block the read, so the time limit holds
    Path out = Files.createTempFile("meridian-bench-" + name, ".out");
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

  /** {@code jcmd PID Thread.print}. */
  public static String threadDump(long pid) throws IOException, InterruptedException {
    return tool("jcmd", Long.toString(pid), "Thread.print");
  }

  /**
   * Heap in use right after {@code fullGcs} full GCs ({@code jcmd GC.run}, then {@code
   * GC.heap_info}), in bytes. A second GC also frees what the first one's finalization released.
   */
  public static long heapUsedAfterFullGc(long pid, int fullGcs)
      throws IOException, InterruptedException {
    for (int i = 0; i < fullGcs; i++) {
      tool("jcmd", Long.toString(pid), "GC.run");
    }
    return heapUsed(tool("jcmd", Long.toString(pid), "GC.heap_info"));
  }

  /** The used heap in the output of {@code GC.heap_info}, in bytes (any collector). */
  public static long heapUsed(String info) throws IOException {
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

  /** One row of a class histogram. */
  public record HistogramRow(long instances, long bytes, String className) {}

  /**
   * A class histogram of live objects: its rows as printed (largest first), their totals (-1 if
   * missing) and the tool's whole text.
   */
  public record Histogram(
      long totalBytes, long totalInstances, List<HistogramRow> rows, String text) {
    /** The first {@code n} rows as "MiB instances class" lines. */
    public List<String> top(int n) {
      return rows.stream()
          .limit(n)
          .map(
              r ->
                  String.format(
                      "%9.1f MiB %10s  %s", r.bytes() / 1048576.0, r.instances(), r.className()))
          .toList();
    }

    /** Instances and bytes by class name (names loaded more than once are summed). */
    public Map<String, long[]> byClass() {
      Map<String, long[]> out = new HashMap<>();
      for (HistogramRow r : rows) {
        long[] v = out.computeIfAbsent(r.className(), k -> new long[2]);
        v[0] += r.instances();
        v[1] += r.bytes();
      }
      return out;
    }
  }

  /** {@code jcmd PID GC.class_histogram} (it runs a full GC itself). */
  public static Histogram histogram(long pid) throws IOException, InterruptedException {
    String text = tool("jcmd", Long.toString(pid), "GC.class_histogram");
    long bytes = -1;
    long instances = -1;
    List<HistogramRow> rows = new ArrayList<>();
    Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    for (String line : text.split("\n")) {
      Matcher m = row.matcher(line);
      if (m.find()) {
        rows.add(
            new HistogramRow(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
      } else if (line.startsWith("Total")) {
        String[] f = line.trim().split("\\s+");
        instances = Long.parseLong(f[1]);
        bytes = Long.parseLong(f[2]);
      }
    }
    return new Histogram(bytes, instances, rows, text);
  }

  /**
   * Committed bytes by Native Memory Tracking category ({@code Total}, {@code Java Heap}, {@code
   * Thread}, {@code Class}, {@code Other} (direct buffers), ...), or empty without NMT.
   */
  public static Map<String, Long> nativeMemory(long pid) throws InterruptedException {
    Map<String, Long> out = new TreeMap<>();
    String text;
    try {
      text = tool("jcmd", Long.toString(pid), "VM.native_memory", "summary");
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

  /** Bytes of all files under {@code dir}, and a line per file. */
  public record DiskUsage(long bytes, List<String> files) {}

  public static DiskUsage diskUsage(Path dir) throws IOException {
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

  /** Deletes a directory and everything under it; a failure is printed, not thrown. */
  public static void deleteTree(Path dir) {
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
