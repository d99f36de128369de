package dev.meridian.bench;

import dev.meridian.bench.support.Jdk;
import dev.meridian.bench.support.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One look at the hub's child JVM: live heap, the class histogram of live objects, threads (OS and
 * Java, by group), RSS, Native Memory Tracking, CPU time and the load average, from {@code jcmd}
 * and {@code /proc}.
 */
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
    String load) {

  /**
   * A full GC (twice: the second one also frees what the first one's finalization released), the
   * heap in use after it, the class histogram of live objects, the thread dump and /proc figures;
   * the histogram and the dump are written to {@code dumpDir} if not null.
   */
  static Snapshot take(long pid, String label, Path dumpDir)
      throws IOException, InterruptedException {
    long used = Jdk.heapUsedAfterFullGc(pid, 2);
    Jdk.Histogram histo = Jdk.histogram(pid);
    if (dumpDir != null) {
      Files.writeString(dumpDir.resolve("histogram-" + label + ".txt"), histo.text());
    }
    String dump = Jdk.threadDump(pid);
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
        histo.totalBytes(),
        histo.byClass(),
        (int) Proc.status(pid, "Threads:"),
        java,
        groups,
        Proc.rssBytes(pid),
        Jdk.nativeMemory(pid),
        Proc.cpuSeconds(pid),
        Proc.loadAverage());
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
}
