package dev.meridian.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Readings from Linux's {@code /proc}: a process's CPU time, RSS and status lines, the machine's
 * busy CPU time, load average, CPU model, memory and host name. Elsewhere (not Linux, or the
 * process is gone) every reading is a "none" value: -1, 0 or {@code ?}, as each method says.
 */
public final class Proc {
  private Proc() {}

  /** {@code USER_HZ}: clock ticks per second in {@code /proc} figures (100 on Linux). */
  public static final double TICKS_PER_SECOND = 100.0;

  /** utime + stime of a process (all its threads) in clock ticks, from /proc/PID/stat, or -1. */
  public static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after "(comm)": state is [0]; utime, field 14 of the whole line, is [11]; stime [12]
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** User + system CPU time of a process in seconds, or -1. */
  public static double cpuSeconds(long pid) {
    long ticks = processTicks(pid);
    return ticks < 0 ? -1 : ticks / TICKS_PER_SECOND;
  }

  /**
   * Busy ticks of all CPUs since boot, from the {@code cpu} line of /proc/stat: user + nice +
   * system + irq + softirq + steal (not idle or iowait; guest time is already inside user), or -1.
   */
  public static long machineBusyTicks() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu ")) {
          String[] f = line.trim().split("\\s+");
          long busy = 0;
          for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += i < f.length ? Long.parseLong(f[i]) : 0;
          }
          return busy;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /** Total CPU seconds the machine has spent busy (see {@link #machineBusyTicks}), or -1. */
  public static double machineBusySeconds() {
    long ticks = machineBusyTicks();
    return ticks < 0 ? -1 : ticks / TICKS_PER_SECOND;
  }

  /** The load average line, e.g. {@code 2.27 1.86 1.10}, or {@code ?}. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** The number on a line of /proc/PID/status (kB for sizes), e.g. {@code Threads:}, or -1. */
  public static long status(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or gone
    }
    return -1;
  }

  /** Resident set size of a process in bytes, or -1. */
  public static long rssBytes(long pid) {
    long kb = status(pid, "VmRSS:");
    return kb < 0 ? -1 : kb * 1024;
  }

  /** This machine's host name, or {@code ?}. */
  public static String hostname() {
    try {
      return Files.readString(Path.of("/etc/hostname")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  /** The CPU's model name from /proc/cpuinfo, or {@code ?}. */
  public static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "?";
  }

  /** The machine's memory, e.g. {@code 23.4 GiB RAM}, or {@code ? RAM}. */
  public static String memTotal() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB RAM", kb / 1048576.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "? RAM";
  }
}
