package dev.meridian.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stack sampling of the hub with JDK Flight Recorder (built into the JDK, about 1% overhead): a
 * recording with the JDK's {@code profile} settings ({@code jcmd PID JFR.start}), then {@code jfr
 * print} and a count of the sampled stacks, self (top frame) and inclusive (anywhere on the stack),
 * by thread group, to show where the hub's CPU goes. Optionally every fsync ({@code jdk.FileForce})
 * and every park from 1 ms on ({@code jdk.ThreadPark}) too, to see how long the store's fsyncs take
 * and where threads wait.
 */
public final class JfrProfile {
  private static final String NAME = "meridianbench";

  private final long pid;
  private final Path file;
  private final boolean waits;
  private final int stackDepth;

  private JfrProfile(long pid, Path file, boolean waits, int stackDepth) {
    this.pid = pid;
    this.file = file;
    this.waits = waits;
    this.stackDepth = stackDepth;
  }

  /**
   * Starts a recording of JVM {@code pid}, to be written to {@code file} by {@link #stop}.
   *
   * @param waits also record fsyncs and parks (see the class comment)
   * @param stackDepth frames kept per sample
   */
  public static JfrProfile start(long pid, Path file, boolean waits, int stackDepth)
      throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    Jdk.tool("jcmd", Long.toString(pid), "JFR.start", "name=" + NAME, settings(file, waits));
    return new JfrProfile(pid, file, waits, stackDepth);
  }

  /** Stops the recording, writes it to the file and counts what it holds. */
  public Report stop() throws IOException, InterruptedException {
    Jdk.tool("jcmd", Long.toString(pid), "JFR.stop", "name=" + NAME, "filename=" + file);
    return read(file, waits, stackDepth);
  }

  /**
   * Records {@code seconds} of JVM {@code pid} (a recording with that duration: it ends by itself
   * even if this JVM dies), waits until it is written and counts what it holds.
   */
  public static Report record(long pid, int seconds, Path file, boolean waits, int stackDepth)
      throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    Jdk.tool(
        "jcmd",
        Long.toString(pid),
        "JFR.start",
        "name=" + NAME,
        settings(file, waits),
        "duration=" + seconds + "s",
        "filename=" + file);
    long deadline = System.nanoTime() + (seconds + 30) * 1_000_000_000L;
    Thread.sleep(seconds * 1000L);
    // the recording is written when its duration ends
    while (System.nanoTime() < deadline) {
      String check = Jdk.tool("jcmd", Long.toString(pid), "JFR.check");
      if (!check.contains(NAME) && Files.exists(file) && Files.size(file) > 0) {
        break;
      }
      Thread.sleep(500);
    }
    return read(file, waits, stackDepth);
  }

  /** {@code settings=profile}, or a copy of it next to {@code file} that records waits too. */
  private static String settings(Path file, boolean waits) throws IOException {
    if (!waits) {
      return "settings=profile";
    }
    Path jfc = file.resolveSibling("hub-bench.jfc");
    if (!Files.exists(jfc)) {
      String profile =
          Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc"));
      profile =
          profile
              .replaceAll(
                  "(<event name=\"jdk.FileForce\">[^<]*(?:<setting[^>]*>[^<]*</setting>\\s*)*?"
                      + "<setting name=\"threshold\"[^>]*>)[^<]*",
                  "$10 ms")
              .replaceAll(
                  "(<event name=\"jdk.ThreadPark\">[^<]*(?:<setting[^>]*>[^<]*</setting>\\s*)*?"
                      + "<setting name=\"threshold\"[^>]*>)[^<]*",
                  "$11 ms");
      Files.writeString(jfc, profile);
    }
    return "settings=" + jfc;
  }

  /**
   * What the samples say: CPU samples in all, by frame (self and inclusive) and by thread group;
   * with waits, the fsync durations and the parks (count, total ms) by thread, lock and first
   * Meridian frame.
   */
  public record Report(
      int samples,
      Map<String, Integer> self,
      Map<String, Integer> inclusive,
      Map<String, Integer> threads,
      Latencies.Sorted fsyncs,
      Map<String, double[]> parks) {
    /** The {@code n} largest of {@code counts} whose name contains {@code filter} (null: all). */
    public List<String> top(Map<String, Integer> counts, int n, String filter) {
      int all = Math.max(1, samples);
      return counts.entrySet().stream()
          .filter(e -> filter == null || e.getKey().contains(filter))
          .sorted((a, b) -> b.getValue() - a.getValue())
          .limit(n)
          .map(e -> String.format("%5.1f%%  %s", 100.0 * e.getValue() / all, e.getKey()))
          .toList();
    }
  }

  private static Report read(Path file, boolean waits, int stackDepth)
      throws IOException, InterruptedException {
    String text =
        Jdk.tool(
            "jfr",
            "print",
            "--events",
            "jdk.ExecutionSample",
            "--stack-depth",
            Integer.toString(stackDepth),
            file.toString());
    Files.writeString(file.resolveSibling(file.getFileName() + ".txt"), text);
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    List<String> frames = new ArrayList<>();
    String thread = "";
    boolean inStack = false;
    for (String raw : text.split("\n")) {
      String line = raw.trim();
      if (line.startsWith("sampledThread = ")) {
        thread = quoted(line).replaceAll("-?\\d+$", "");
      } else if (line.startsWith("stackTrace = [")) {
        inStack = true;
        frames.clear();
      } else if (inStack && line.equals("]")) {
        inStack = false;
        samples++;
        threads.merge(thread, 1, Integer::sum);
        if (!frames.isEmpty()) {
          self.merge(frames.get(0), 1, Integer::sum);
        }
        Set<String> seen = new HashSet<>(frames);
        for (String f : seen) {
          inclusive.merge(f, 1, Integer::sum);
        }
      } else if (inStack && !line.equals("...")) {
        // "java.util.TreeMap.getEntry(Object) line: 345"
        frames.add(method(line));
      }
    }
    Latencies fsyncs = new Latencies();
    Map<String, double[]> parks = new HashMap<>();
    if (waits) {
      readWaits(file, fsyncs, parks);
    }
    return new Report(samples, self, inclusive, threads, Latencies.merge(List.of(fsyncs)), parks);
  }

  private static void readWaits(Path file, Latencies fsyncs, Map<String, double[]> parks)
      throws IOException, InterruptedException {
    String events =
        Jdk.tool(
            "jfr",
            "print",
            "--events",
            "jdk.FileForce,jdk.ThreadPark",
            "--stack-depth",
            "24",
            file.toString());
    String type = null;
    double millis = 0;
    String evThread = "";
    String parked = "";
    String where = "";
    for (String raw : events.split("\n")) {
      String line = raw.trim();
      if (line.endsWith("{") && line.startsWith("jdk.")) {
        type = line.substring(0, line.indexOf(' '));
        millis = 0;
        evThread = "";
        parked = "";
        where = "";
      } else if (line.startsWith("duration = ")) {
        millis = durationMillis(line.substring(11).trim());
      } else if (line.startsWith("eventThread = ")) {
        evThread = quoted(line).replaceAll("[-#]?\\d+$", "");
      } else if (line.startsWith("parkedClass = ")) {
        parked = line.substring(14).replaceAll(" \\(.*", "");
      } else if (where.isEmpty() && line.startsWith("dev.meridian.")) {
        where = method(line);
      } else if (raw.equals("}") && type != null) {
        if (type.equals("jdk.FileForce")) {
          fsyncs.record((long) (millis * 1e6));
        } else if (type.equals("jdk.ThreadPark")) {
          double[] acc =
              parks.computeIfAbsent(
                  String.format("%-22s on %s  <- %s", evThread, parked, where), k -> new double[2]);
          acc[0]++;
          acc[1] += millis;
        }
        type = null;
      }
    }
  }

  /** The first quoted string of a line, or {@code ?}. */
  private static String quoted(String line) {
    int q = line.indexOf('"');
    int q2 = line.indexOf('"', q + 1);
    return q >= 0 && q2 > q ? line.substring(q + 1, q2) : "?";
  }

  /** "a.b.C.m(Object) line: 12" → "a.b.C.m". */
  private static String method(String frame) {
    int paren = frame.indexOf('(');
    return paren > 0 ? frame.substring(0, paren) : frame;
  }

  /** jfr prints "812 us", "1.23 ms", "2.01 s", "1 m 3 s". */
  static double durationMillis(String v) {
    String[] f = v.split("\\s+");
    double total = 0;
    for (int i = 0; i + 1 < f.length; i += 2) {
      double x;
      try {
        x = Double.parseDouble(f[i]);
      } catch (NumberFormatException e) {
        return total;
      }
      total +=
          switch (f[i + 1]) {
            case "ns" -> x / 1e6;
            case "us" -> x / 1e3;
            case "ms" -> x;
            case "s" -> x * 1e3;
            case "m" -> x * 60e3;
            case "h" -> x * 3600e3;
            default -> 0;
          };
    }
    return total;
  }
}
