package dev.meridian.bench.propagation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the hub's threads are: {@code jcmd Thread.print} samples classified by controller, and JDK
 * Flight Recorder CPU samples (the {@code profile} settings) counted by frame, as {@code
 * bench/hub-api}'s {@code JfrProfile} does.
 */
final class HubProfile {
  private HubProfile() {}

  private static final java.util.regex.Pattern IO_WAITS =
      java.util.regex.Pattern.compile(
          "epollWait|\\.accept|socketRead|Native\\.read|FileDispatcherImpl\\.read|waitForReferencePendingList");

  /** Counts accumulated over several thread dumps. */
  static final class DumpTally {
    final Map<String, Integer> controller = new TreeMap<>();
    final Map<String, Integer> runnable = new TreeMap<>();
    int dumps;

    /** Classifies one {@code Thread.print}. */
    void add(String dump) {
      dumps++;
      for (String block : dump.split("\n\n")) {
        if (!block.startsWith("\"")) {
          continue;
        }
        String name = block.substring(1, block.indexOf('"', 1));
        String group = name.replaceAll("-?\\d+$", "");
        boolean running = block.contains("java.lang.Thread.State: RUNNABLE");
        if (group.equals("hub-controller")) {
          controller.merge(classifyController(block), 1, Integer::sum);
        } else if (running) {
          String top = topFrame(block);
          // threads waiting in the kernel for I/O show as RUNNABLE too; VM threads have no frames
          if (!top.equals("?") && !IO_WAITS.matcher(top).find()) {
            runnable.merge(group + "  @ " + top, 1, Integer::sum);
          }
        }
      }
    }

    private static String classifyController(String block) {
      String which;
      if (block.contains("WorkController.reconcile")) {
        which = "work";
      } else if (block.contains("PropagationController.reconcile")) {
        which = "propagation";
      } else if (block.contains("ClusterHealthController")) {
        which = "health";
      } else {
        return "idle (no task)";
      }
      if (block.contains("SimulatedMember.pause")) {
        String call =
            block.contains("SimulatedMember.apply")
                ? "apply"
                : block.contains("SimulatedMember.get") ? "get" : "other call";
        return which
            + ": waiting out the simulated member's API latency (SimulatedMember.pause in "
            + call
            + ")";
      }
      return which
          + ": "
          + firstMeridianFrame(block)
          + (block.contains("State: RUNNABLE") ? "" : " [" + state(block) + "]");
    }
  }

  private static String state(String block) {
    int i = block.indexOf("java.lang.Thread.State: ");
    if (i < 0) {
      return "?";
    }
    String s = block.substring(i + 24);
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }

  private static String topFrame(String block) {
    for (String line : block.split("\n")) {
      String l = line.trim();
      if (l.startsWith("at ")) {
        return frame(l);
      }
    }
    return "?";
  }

  private static String firstMeridianFrame(String block) {
    List<String> frames = new ArrayList<>();
    for (String line : block.split("\n")) {
      String l = line.trim();
      if (l.startsWith("at ")) {
        frames.add(frame(l));
      }
    }
    for (String f : frames) {
      if (f.startsWith("dev.meridian.")) {
        return f;
      }
    }
    return frames.isEmpty() ? "?" : frames.get(0);
  }

  /** "at a.b.C.m(C.java:12)" → "a.b.C.m". */
  private static String frame(String at) {
    String f = at.substring(3);
    int paren = f.indexOf('(');
    return paren > 0 ? f.substring(0, paren) : f;
  }

  // ---- JFR

  /** Self and inclusive counts of CPU samples by frame, and samples by thread group. */
  record Samples(
      int total,
      Map<String, Integer> self,
      Map<String, Integer> inclusive,
      Map<String, Integer> threads) {
    List<String> top(Map<String, Integer> counts, int n, String mustStartWith) {
      return counts.entrySet().stream()
          .filter(e -> mustStartWith == null || e.getKey().startsWith(mustStartWith))
          .sorted((a, b) -> b.getValue() - a.getValue())
          .limit(n)
          .map(
              e ->
                  String.format(
                      "%5.1f%%  %s", 100.0 * e.getValue() / Math.max(1, total), e.getKey()))
          .toList();
    }
  }

  /**
   * Records {@code seconds} of the hub with JFR's {@code profile} settings and counts the samples.
   */
  static Samples record(long pid, int seconds, Path file) throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    HubJvm.tool(
        "jcmd",
        Long.toString(pid),
        "JFR.start",
        "name=propagationbench",
        "settings=profile",
        "duration=" + seconds + "s",
        "filename=" + file);
    long deadline = System.nanoTime() + (seconds + 30) * 1_000_000_000L;
    Thread.sleep(seconds * 1000L);
    // the recording is written when its duration ends
    while (System.nanoTime() < deadline) {
      String check = HubJvm.tool("jcmd", Long.toString(pid), "JFR.check");
      if (!check.contains("propagationbench") && Files.exists(file) && Files.size(file) > 0) {
        break;
      }
      Thread.sleep(500);
    }
    String text =
        HubJvm.tool(
            "jfr",
            "print",
            "--events",
            "jdk.ExecutionSample",
            "--stack-depth",
            "64",
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
        int paren = line.indexOf('(');
        frames.add(paren > 0 ? line.substring(0, paren) : line);
      }
    }
    return new Samples(samples, self, inclusive, threads);
  }
}
