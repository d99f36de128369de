package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meridian sim} drives failure injection on simulated clusters, and only on them. */
class SimCommandTest {
  @TempDir Path dir;
  Hub hub;

  @BeforeEach
  void start() {
    hub =
        Hub.start(
            HubOptions.of(dir, "127.0.0.1", 0)
                .withHealth(Duration.ofMillis(200), Duration.ofSeconds(1)));
    Main.Result applied = run("apply", "-f", Path.of("..", "examples", "fleet.yaml").toString());
    assertThat(applied.code()).as(applied.err()).isZero();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  Main.Result run(String... args) {
    return Main.capture(hub.clientEnvironment(), args);
  }

  static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return dev.meridian.api.ResourceCodec.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(text, e);
    }
  }

  Main.Result awaitReady(String cluster, String status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Main.Result table = null;
    while (System.nanoTime() < deadline) {
      table = run("get", "clusters");
      if (table
          .out()
          .lines()
          .anyMatch(l -> l.startsWith(cluster + " ") && l.split("\\s+")[1].equals(status))) {
        return table;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        cluster + " never " + status + ": " + (table == null ? "" : table.out()));
  }

  @Test
  void failAndRecoverDriveTheClustersHealth() throws Exception {
    awaitReady("us-east-1", "True");
    // When
    Main.Result fail = run("sim", "fail", "us-east-1");
    // Then
    assertThat(fail.code()).as(fail.err()).isZero();
    assertThat(fail.out()).contains("us-east-1 (SIMULATED): failure Down");
    awaitReady("us-east-1", "Unknown");
    String events = "";
    for (int i = 0; i < 100 && !events.contains("ClusterUnreachable"); i++) {
      events = run("get", "events").out(); // the event follows the status write
      Thread.sleep(100);
    }
    assertThat(events).contains("ClusterUnreachable").contains("cluster/us-east-1");
    // When
    Main.Result recover = run("sim", "recover", "us-east-1");
    // Then
    assertThat(recover.code()).as(recover.err()).isZero();
    Main.Result table = awaitReady("us-east-1", "True");
    assertThat(table.out()).containsPattern("eu-west-1\\s+True");
  }

  @Test
  void slowMultipliesTheLatencyTheProbeSees() throws Exception {
    awaitReady("eu-west-1", "True");
    Main.Result slow = run("sim", "slow", "eu-west-1", "--factor", "5");
    assertThat(slow.code()).as(slow.err()).isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    double latency = 0;
    while (System.nanoTime() < deadline && latency < 90) {
      latency =
          json(run("get", "cluster", "eu-west-1", "-o", "json").out())
              .path("status")
              .path("apiLatencyMs")
              .asDouble();

      Thread.sleep(100);
    }
    assertThat(latency).as("20 ms x 5").isGreaterThanOrEqualTo(90);
  }

  @Test
  void refusesWhatIsNotASimulatedCluster() {
    Main.Result unknown = run("sim", "fail", "no-such-cluster");
    Main.Result badFactor = run("sim", "slow", "eu-west-1", "--factor", "0");
    Main.Result nothing = run("sim");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err().strip())
        .startsWith("error: ")
        .contains("no-such-cluster")
        .doesNotContain("\n");
    assertThat(badFactor.code()).isEqualTo(2);
    assertThat(nothing.code()).isEqualTo(2);
  }
}
