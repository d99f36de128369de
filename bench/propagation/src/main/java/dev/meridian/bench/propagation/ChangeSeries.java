package dev.meridian.bench.propagation;

import dev.meridian.bench.support.HubClient;
import dev.meridian.bench.support.HubJvm;
import dev.meridian.bench.support.Proc;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A series of template changes, one at a time: each sets the pod template's annotation {@value
 * MemberObserver#SPEC_MARK} to {@code PREFIX + i} with a merge patch to the hub, then waits until
 * every cluster of the tracker holds it (or the timeout), then waits the gap. The clock of a change
 * starts just before its PATCH is sent.
 */
final class ChangeSeries {
  /** Milliseconds per change, from the PATCH being sent. */
  record Result(
      List<Double> all,
      List<Double> first,
      List<Double> half,
      List<Double> rendered,
      List<Double> patch,
      List<Double> membersPerSecond,
      int timeouts,
      double hubCores,
      String loadBefore,
      String loadAfter) {}

  private ChangeSeries() {}

  /** The merge patch that sets the pod template's mark. */
  static String specPatch(String mark) {
    return "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\""
        + MemberObserver.SPEC_MARK
        + "\":\""
        + mark
        + "\"}}}}}";
  }

  /**
   * @param rendered a tracker of what the hub's Works carry, or null
   * @param log progress lines (changes that time out)
   */
  static Result run(
      HubClient api,
      HubJvm hub,
      String path,
      ChangeTracker members,
      ChangeTracker rendered,
      String prefix,
      int count,
      int gapMs,
      int timeoutSeconds,
      Consumer<String> log)
      throws Exception {
    List<Double> all = new ArrayList<>();
    List<Double> first = new ArrayList<>();
    List<Double> half = new ArrayList<>();
    List<Double> renderedAll = new ArrayList<>();
    List<Double> patch = new ArrayList<>();
    List<Double> rate = new ArrayList<>();
    int timeouts = 0;
    double cpu0 = hub.cpuSeconds();
    long start = System.nanoTime();
    String loadBefore = Proc.loadAverage();
    for (int i = 1; i <= count; i++) {
      String mark = prefix + i;
      ChangeTracker.Pending p = members.arm(ChangeTracker.Field.SPEC, mark);
      ChangeTracker.Pending r =
          rendered == null ? null : rendered.arm(ChangeTracker.Field.SPEC, mark);
      long s = System.nanoTime();
      api.mergePatch(path, specPatch(mark));
      patch.add((System.nanoTime() - s) / 1e6);
      if (!p.await(timeoutSeconds * 1000L)) {
        timeouts++;
        log.accept(
            "  change "
                + mark
                + ": NOT in all clusters within "
                + timeoutSeconds
                + " s; missing "
                + p.remaining.size());
        all.add(timeoutSeconds * 1000.0);
      } else {
        all.add(p.allMillis());
        List<Double> m = p.millis();
        first.add(m.get(0));
        half.add(m.get(m.size() / 2));
        if (m.size() > 1 && m.get(m.size() - 1) > m.get(0)) {
          rate.add((m.size() - 1) * 1000.0 / (m.get(m.size() - 1) - m.get(0)));
        }
        if (r != null && r.await(1000) && !Double.isNaN(r.allMillis())) {
          renderedAll.add(r.allMillis());
        }
      }
      Thread.sleep(gapMs);
    }
    double cores = (hub.cpuSeconds() - cpu0) / ((System.nanoTime() - start) / 1e9);
    return new Result(
        all,
        first,
        half,
        renderedAll,
        patch,
        rate,
        timeouts,
        cores,
        loadBefore,
        Proc.loadAverage());
  }
}
