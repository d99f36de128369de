package dev.meridian.bench.propagation;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The hub under test in a child JVM of its own ({@link PropagationHubMain}), as {@code
 * bench/fleet}'s {@code FleetJvm} runs it, plus the JDK tools and {@code /proc} files pointed at
 * it.
 */
final class HubJvm implements AutoCloseable {
  private final Process process;
  private final Path dataDir;
  private final String url;
  private final Path tokenFile;
  private final Path caFile;
  private final int observerPort;

  private HubJvm(
      Process process, Path dataDir, String url, Path tokenFile, Path caFile, int observerPort) {
    this.process = process;
    this.dataDir = dataDir;
    this.url = url;
    this.tokenFile = tokenFile;
    this.caFile = caFile;
    this.observerPort = observerPort;
  }

  /** Starts the hub with this JVM's classpath and waits (up to 90 s) until it serves. */
  static HubJvm start(
      Path dataDir, String heap, long probeMillis, long graceMillis, long resyncMillis, Path outDir)
      throws IOException, InterruptedException {
    Path ready = outDir.resolve("hub.ready");
    Files.deleteIfExists(ready);
    Path log = outDir.resolve("hub.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xms" + heap);
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:+UseG1GC");
    cmd.add("-Xlog:gc:file=" + outDir.resolve("hub-gc.log") + ":uptime");
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PropagationHubMain.class.getName());
    cmd.add(dataDir.toString());
    cmd.add(ready.toString());
    cmd.add(Long.toString(probeMillis));
    cmd.add(Long.toString(graceMillis));
    cmd.add(Long.toString(resyncMillis));
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
    return new HubJvm(
        p,
        dataDir,
        lines.get(0).trim(),
        Path.of(lines.get(1).trim()),
        Path.of(lines.get(2).trim()),
        Integer.parseInt(lines.get(3).trim()));
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

  int observerPort() {
    return observerPort;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** User + system CPU seconds the hub has used so far. */
  double cpuSeconds() {
    return cpuSeconds(pid());
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
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
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

  // ---- /proc and JDK tools (as in bench/fleet)

  /** User + system CPU time of a process in seconds, from /proc/PID/stat, or -1. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks / 100.0; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Total CPU seconds the machine spent not idle, from /proc/stat, or -1. */
  static double machineBusySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / 100.0;
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
    Path out = Files.createTempFile("propagation-bench-" + name, ".out");
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
