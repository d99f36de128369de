package dev.meridian.bench.propagation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the hub's threads are: {@code jcmd Thread.print} samples classified by controller. (Its JDK
 * Flight Recorder CPU samples are counted by {@code bench/support}'s {@code JfrProfile}.)
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
}
