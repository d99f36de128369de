package dev.meridian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.app.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the end-to-end tests share: running kubectl, and waiting for what a probe reads. */
final class E2e {
  private E2e() {}

  /** Reads something that may not be there yet. */
  interface Probe {
    String read() throws Exception;
  }

  /**
   * Runs {@code kubectl --kubeconfig=CONFIG ARGS…} (60 s at most), its output in files under {@code
   * dir}.
   */
  static Main.Result kubectl(Path dir, Path kubectl, Path config, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig=" + config));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
    return new Main.Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Reads {@code probe} every 250 ms until {@code ok} holds (within {@code wait}); returns it. */
  static String await(String what, Duration wait, Probe probe, Predicate<String> ok)
      throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      last = probe.read();
      if (ok.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("never saw " + what + "; last: " + last);
  }

  /**
   * kubectl's report of an apply conflict (its first lines, up to its advice), without the {@code
   * error: } prefix and the Update managers' times, which differ from run to run.
   */
  static List<String> conflictLines(String err) {
    List<String> out = new ArrayList<>();
    for (String line : err.split("\n")) {
      if (line.startsWith("Please review")) {
        break;
      }
      out.add(
          line.replaceFirst("^error: ", "")
              .replaceAll(" at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ", ""));
    }
    return out;
  }

  /**
   * A hub on loopback with fast health checks (probes every 500 ms, 4 s of grace) and the given
   * real clusters joined to it with {@code meridian join -l ring=prod}, each Healthy.
   */
  static dev.meridian.hub.Hub hubWithFleet(
      Path dir, dev.meridian.members.RealClusters real, List<String> members, Duration wait)
      throws Exception {
    dev.meridian.hub.Hub hub =
        dev.meridian.hub.Hub.start(
            dev.meridian.hub.HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0)
                .withHealth(Duration.ofMillis(500), Duration.ofSeconds(4)));
    for (String m : members) {
      Main.Result join =
          Main.capture(
              hub.clientEnvironment(),
              "join",
              m,
              "--kubeconfig",
              real.cluster(m).kubeconfig().toString(),
              "-l",
              "ring=prod");
      assertThat(join.code()).as(join.err()).isZero();
    }
    for (String m : members) {
      await(
          "cluster " + m + " Ready",
          wait,
          () -> Main.capture(hub.clientEnvironment(), "get", "cluster", m, "-o", "json").out(),
          s -> s.contains("\"Healthy\""));
    }
    return hub;
  }
}
