package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code meridian get -w} against a real hub. */
class WatchTest {
  @RegisterExtension static final HubFixture hub = new HubFixture();

  @Test
  void printsTheTableThenARowPerChangeUntilInterrupted() throws Exception {
    // Given one cluster, and a watch of clusters running
    hub.run(
        "apply",
        "-f",
        hub.write("c1.yaml", Manifests.simulatedCluster("c1", "eu", "DE")).toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread watcher =
        new Thread(
            () ->
                exit.set(
                    MeridianCommand.newCommandLine(
                            new PrintWriter(out), new PrintWriter(err), hub.env())
                        .execute("get", "mc", "-w")));
    watcher.start();
    awaitTrue(() -> out.toString().contains("c1"), "the first table");

    // When a second cluster is created and the first deleted
    hub.run(
        "apply",
        "-f",
        hub.write("c2.yaml", Manifests.simulatedCluster("c2-long-name", "us", "US")).toString());
    hub.run("delete", "mc", "c1");
    awaitTrue(() -> out.toString().split("\n").length >= 4, "rows for both changes");
    watcher.interrupt();
    watcher.join(10_000);

    // Then the header came once, each change added a row aligned with the first table, and the
    // interrupted watch ended cleanly
    assertThat(watcher.isAlive())
        .as(() -> java.util.Arrays.toString(watcher.getStackTrace()).replace(", ", "\n"))
        .isFalse();
    assertThat(exit.get()).as(err.toString()).isZero();
    String[] lines = out.toString().split("\n");
    assertThat(lines[0]).startsWith("NAME   READY");
    assertThat(lines[1]).startsWith("c1     ");
    assertThat(lines[2]).startsWith("c2-long-name   ");
    assertThat(lines[3]).startsWith("c1     ");
    assertThat(lines[2].indexOf("yes")).isGreaterThan(lines[1].indexOf("yes"));
    assertThat(out.toString().split("NAME", -1)).hasSize(2);
    assertThat(err.toString()).isEmpty();
  }

  private static void awaitTrue(Supplier<Boolean> condition, String what) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.get()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
