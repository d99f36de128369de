package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void demoStartsAHubWithTheSampleFleetAndSaysHowToLook() {
    // When
    Run run = run("demo", "--listen", "127.0.0.1:0", "--data", dir.toString(), "--no-wait");
    // Then
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("eu-west-1 (DE)")
        .contains("SIMULATED")
        .contains("export MERIDIAN_HUB=https://127.0.0.1:")
        .contains("kubectl --kubeconfig " + dir.resolve("kubeconfig"))
        .contains("MERIDIAN_TOKEN_FILE=" + dir.resolve("admin.token"))
        .contains("objects:    9 applied")
        .contains("./meridian describe gr web -n shop")
        .contains("./meridian sim fail us-east-1")
        .contains("./meridian get rb -n shop -o yaml");

    assertThat(dir.resolve("admin.token")).exists();
  }

  @Test
  void everyMeridianCommandTheDemoSuggestsWorks() throws Exception {
    // Given: the demo's state, and the commands it suggests
    Run demo = run("demo", "--listen", "127.0.0.1:0", "--data", dir.toString(), "--no-wait");
    assertThat(demo.code()).as(demo.err()).isZero();
    List<String[]> suggested =
        demo.out()
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("./meridian "))
            .map(l -> l.replaceAll("\\s+#.*$", "").substring("./meridian ".length()).split("\\s+"))
            .toList();
    assertThat(suggested).hasSizeGreaterThan(5);
    // When: each is run against a hub on that state
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0))) {
      for (String[] args : suggested) {
        Main.Result r = Main.capture(hub.clientEnvironment(), args);
        // Then
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
        assertThat(r.out()).as(String.join(" ", args)).isNotBlank();
      }
    }
  }

  @Test
  void demoIsIdempotentOnItsDataDirectory() {
    run("demo", "--listen", "127.0.0.1:0", "--data", dir.toString(), "--no-wait");
    Run again = run("demo", "--listen", "127.0.0.1:0", "--data", dir.toString(), "--no-wait");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("objects:    0 applied");
  }

  @Test
  void hubRejectsBadOptionsWithOneLine() {
    Run badListen = run("hub", "--data", dir.toString(), "--listen", "nowhere");
    Run badStore = run("hub", "--data", dir.toString(), "--store", "zookeeper");
    Run noData = run("hub");
    Run portTaken = run("demo", "--listen", "256.1.1.1:1", "--no-wait");
    assertThat(badListen.code()).isEqualTo(2);
    assertThat(badListen.err().strip())
        .isEqualTo("error: --listen must be HOST:PORT, got \"nowhere\"");
    assertThat(badStore.code()).isNotZero();
    assertThat(badStore.err().strip().lines()).hasSize(1);
    assertThat(noData.code()).isEqualTo(2);
    assertThat(portTaken.code()).isEqualTo(1);
    assertThat(portTaken.err().strip().lines()).hasSize(1);
    assertThat(portTaken.err()).startsWith("error: cannot listen on 256.1.1.1:1");
  }
}
