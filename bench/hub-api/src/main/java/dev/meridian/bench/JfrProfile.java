package dev.meridian.bench;

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
 * Stack sampling of the hub with JDK Flight Recorder (built into the JDK, about 1% overhead):
 * {@code jcmd PID JFR.start} for a phase, then {@code jfr print} and a count of the sampled stacks,
 * self (top frame) and inclusive (anywhere on the stack), to show where the hub's CPU goes.
 */
final class JfrProfile {
  private final long pid;
  private final Path file;

  private JfrProfile(long pid, Path file) {
    this.pid = pid;
    this.file = file;
  }

  /**
   * Starts a recording with the JDK's {@code profile} settings, except that every fsync
   * (jdk.FileForce) is recorded and parks from 1 ms on (jdk.ThreadPark), to see how long the
   * store's fsyncs take and where threads wait.
   */
  static JfrProfile start(long pid, Path file) throws IOException, InterruptedException {
    Files.deleteIfExists(file);
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
    HubProcess.tool(
        "jcmd", Long.toString(pid), "JFR.start", "name=hubbench", "settings=" + jfc.toString());
    return new JfrProfile(pid, file);
  }

  /** What the samples say. */
  record Report(
      int samples,
      Map<String, Integer> self,
      Map<String, Integer> inclusive,
      Map<String, Integer> threads,
      Latencies.Sorted fsyncs,
      Map<String, double[]> parks) {}

  Report stop() throws IOException, InterruptedException {
    HubProcess.tool(
        "jcmd", Long.toString(pid), "JFR.stop", "name=hubbench", "filename=" + file.toString());
    String text =
        HubProcess.tool(
            "jfr",
            "print",
            "--events",
            "jdk.ExecutionSample",
            "--stack-depth",
            "96",
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
        int q = line.indexOf('"');
        int q2 = line.indexOf('"', q + 1);
        thread = q >= 0 && q2 > q ? line.substring(q + 1, q2).replaceAll("-?\\d+$", "") : "?";
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
        int paren = line.indexOf('(');
        frames.add(paren > 0 ? line.substring(0, paren) : line);
      }
    }
    String events =
        HubProcess.tool(
            "jfr",
            "print",
            "--events",
            "jdk.FileForce,jdk.ThreadPark",
            "--stack-depth",
            "24",
            file.toString());
    Latencies fsyncs = new Latencies();
    Map<String, double[]> parks = new HashMap<>();
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
        int q = line.indexOf('"');
        int q2 = line.indexOf('"', q + 1);
        evThread = q >= 0 && q2 > q ? ThreadStats.group(line.substring(q + 1, q2)) : "?";
      } else if (line.startsWith("parkedClass = ")) {
        parked = line.substring(14).replaceAll(" \\(.*", "");
      } else if (where.isEmpty() && line.startsWith("dev.meridian.")) {
        int paren = line.indexOf('(');
        where = paren > 0 ? line.substring(0, paren) : line;
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
    return new Report(samples, self, inclusive, threads, Latencies.merge(List.of(fsyncs)), parks);
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

  /** The {@code n} largest entries, as "share name" lines. */
  static List<String> top(Map<String, Integer> counts, int samples, int n, String mustContain) {
    return counts.entrySet().stream()
        .filter(e -> mustContain == null || e.getKey().contains(mustContain))
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(n)
        .map(e -> String.format("%5.1f%%  %s", 100.0 * e.getValue() / samples, e.getKey()))
        .toList();
  }
}
