package dev.meridian.bench;

import dev.meridian.bench.support.Proc;

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
        Math.max(0, Proc.machineBusyTicks()),
        hubPid > 0 ? Math.max(0, Proc.processTicks(hubPid)) : 0,
        Math.max(0, Proc.processTicks(ProcessHandle.current().pid())));
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
}
