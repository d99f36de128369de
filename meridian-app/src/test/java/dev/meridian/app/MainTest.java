package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
        .contains("objects:    7 applied")
        .contains("./meridian sim fail us-east-1")
        .contains("./meridian get rb -n shop -o yaml");

    assertThat(dir.resolve("admin.token")).exists();
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
