package dev.meridian.bench;

import dev.meridian.bench.support.Jdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Per-thread-group CPU of the hub from the Linux scheduler ({@code /proc/PID/task/TID/schedstat}:
 * time on a CPU and time runnable but waiting for one). The waiting time is what a thread dump
 * cannot show: how long the hub's threads, above all its single commit thread, sat in the run queue
 * behind other threads. Java thread names come from one {@code jcmd Thread.print} (the kernel keeps
 * only 15 characters of a name, which makes the store's threads indistinguishable).
 */
final class ThreadStats {
  /** Thread id to its group (the Java name without its number). */
  private final Map<Long, String> groups;

  private final Map<Long, long[]> start;
  private final long pid;
  private final long startNanos;

  private ThreadStats(long pid, Map<Long, String> groups) {
    this.pid = pid;
    this.groups = groups;
    this.start = read(pid);
    this.startNanos = System.nanoTime();
  }

  /** Names the hub's threads (one jcmd call) and takes the first reading. */
  static ThreadStats start(long pid) throws IOException, InterruptedException {
    return new ThreadStats(pid, names(pid));
  }

  private static Map<Long, String> names(long pid) throws IOException, InterruptedException {
    String dump = Jdk.threadDump(pid);
    Map<Long, String> groups = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^\"([^\"]+)\".*?\\snid=(0x[0-9a-f]+|\\d+)").matcher(dump);
    while (m.find()) {
      String nid = m.group(2);
      long tid = nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid);
      groups.put(tid, group(m.group(1)));
    }
    return groups;
  }

  static String group(String name) {
    String g = name.replaceAll("[-#]?\\d+$", "");
    if (g.startsWith("GC Thread") || g.startsWith("G1 ")) {
      return "GC";
    }
    if (g.contains("CompilerThread")) {
      return "JIT";
    }
    return g;
  }

  /** One group's share of the phase, in cores: on a CPU, and runnable but waiting for one. */
  record Usage(String group, int threads, double onCpu, double waiting) {}

  /** Since {@link #start}, largest groups first; small groups are summed into "other". */
  List<Usage> since() {
    Map<Long, long[]> end = read(pid);
    if (!groups.keySet().containsAll(end.keySet())) {
      // threads started during the phase (a pool filling up): name them now
      try {
        names(pid).forEach(groups::putIfAbsent);
      } catch (IOException | InterruptedException e) {
        // they stay "(started during the phase)"
      }
    }
    double wall = (System.nanoTime() - startNanos);
    Map<String, double[]> byGroup = new LinkedHashMap<>();
    for (Map.Entry<Long, long[]> e : end.entrySet()) {
      long[] s = start.getOrDefault(e.getKey(), new long[2]);
      String g = groups.getOrDefault(e.getKey(), "(started during the phase)");
      double[] acc = byGroup.computeIfAbsent(g, k -> new double[3]);
      acc[0] += (e.getValue()[0] - s[0]) / wall;
      acc[1] += (e.getValue()[1] - s[1]) / wall;
      acc[2]++;
    }
    List<Usage> out = new ArrayList<>();
    double[] other = new double[3];
    byGroup.forEach(
        (g, a) -> {
          if (a[0] + a[1] >= 0.02) {
            out.add(new Usage(g, (int) a[2], a[0], a[1]));
          } else {
            other[0] += a[0];
            other[1] += a[1];
            other[2] += a[2];
          }
        });
    out.sort((x, y) -> Double.compare(y.onCpu() + y.waiting(), x.onCpu() + x.waiting()));
    out.add(new Usage("other", (int) other[2], other[0], other[1]));
    return out;
  }

  private Map<Long, long[]> last;
  private long lastNanos;

  /**
   * Cores on a CPU of one group since the previous call (or since {@link #start}): for watching a
   * group, e.g. the JIT compiler during the warm-up.
   */
  synchronized double cpuSinceLast(String group) {
    Map<Long, long[]> from = last == null ? start : last;
    long fromNanos = last == null ? startNanos : lastNanos;
    Map<Long, long[]> now = read(pid);
    long nowNanos = System.nanoTime();
    double ns = 0;
    for (Map.Entry<Long, long[]> e : now.entrySet()) {
      if (group.equals(groups.get(e.getKey()))) {
        ns += e.getValue()[0] - from.getOrDefault(e.getKey(), new long[2])[0];
      }
    }
    last = now;
    lastNanos = nowNanos;
    return ns / Math.max(1, nowNanos - fromNanos);
  }

  /** Thread id to {cpu ns, run-queue wait ns}. */
  private static Map<Long, long[]> read(long pid) {
    Map<Long, long[]> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String[] f = Files.readString(t.resolve("schedstat")).trim().split("\\s+");
          out.put(
              Long.parseLong(t.getFileName().toString()),
              new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // not Linux, or the hub is gone
    }
    return out;
  }
}
