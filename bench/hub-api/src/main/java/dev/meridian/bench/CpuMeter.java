package dev.meridian.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU went during a phase, from {@code /proc}: the hub's process, this
 * benchmark's process, and everything else (other builds, wrk, jcmd). On a shared 2-core machine a
 * figure means little without it. Linux only; elsewhere every reading is zero.
 */
final class CpuMeter {
  /** A reading: wall clock and CPU ticks so far. */
  record Reading(long wallNanos, long machineBusy, long hub, long self) {}

  /** The difference of two readings, in cores (1.0 = one core busy the whole time). */
  record Usage(double machine, double hub, double self, double wallSeconds) {
    double other() {
      return Math.max(0, machine - hub - self);
    }

    @Override
    public String toString() {
      return String.format(
          "cpu over %.1f s: machine %.2f of %d cores busy = hub %.2f + bench client %.2f + other %.2f",
          wallSeconds, machine, Runtime.getRuntime().availableProcessors(), hub, self, other());
    }
  }

  private final long hubPid;
  private final double ticksPerSecond;

  CpuMeter(long hubPid, double ticksPerSecond) {
    this.hubPid = hubPid;
    this.ticksPerSecond = ticksPerSecond;
  }

  Reading read() {
    return new Reading(
        System.nanoTime(),
        machineBusyTicks(),
        hubPid > 0 ? processTicks(hubPid) : 0,
        processTicks(ProcessHandle.current().pid()));
  }

  Usage since(Reading start) {
    Reading end = read();
    double wall = (end.wallNanos() - start.wallNanos()) / 1e9;
    double scale = ticksPerSecond * Math.max(wall, 1e-9);
    return new Usage(
        (end.machineBusy() - start.machineBusy()) / scale,
        (end.hub() - start.hub()) / scale,
        (end.self() - start.self()) / scale,
        wall);
  }

  /** Busy ticks of all CPUs: user + nice + system + irq + softirq + steal. */
  private static long machineBusyTicks() {
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
    return 0;
  }

  /** utime + stime of a process (all its threads). */
  static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The load average line, e.g. {@code 2.27 1.86 1.10}. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
