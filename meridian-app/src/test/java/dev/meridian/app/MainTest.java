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

  Run demo() {
    return run(
        "demo",
        "--listen",
        "127.0.0.1:0",
        "--gateway-listen",
        "127.0.0.1:0",
        "--data",
        dir.toString(),
        "--no-wait");
  }

  @Test
  void demoStartsAHubWithTheSampleFleetAndSaysHowToLook() {
    // When
    Run run = demo();
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
        .contains("./meridian sim fail eu-west-1")
        .containsPattern("gateway: +http://127\\.0\\.0\\.1:\\d+/")
        .contains("first answer: {\"cluster\":\"eu-west-1\",\"region\":\"eu-west\"")
        .containsPattern("curl -s -H 'X-Client-Region: us-east' http://127\\.0\\.0\\.1:\\d+/")
        .contains("./meridian get rb -n shop -o yaml");

    assertThat(dir.resolve("admin.token")).exists();
  }

  @Test
  void demoIsIdempotentOnItsDataDirectory() {
    demo();
    Run again = demo();
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("objects:    0 applied");
  }

  @Test
  void hubRejectsBadOptionsWithOneLine() {
    Run badListen = run("hub", "--data", dir.toString(), "--listen", "nowhere");
    Run badStore = run("hub", "--data", dir.toString(), "--store", "zookeeper");
    Run noData = run("hub");
    Run portTaken = run("demo", "--listen", "256.1.1.1:1", "--no-wait");
    Run badGatewayListen =
        run("demo", "--listen", "127.0.0.1:0", "--gateway-listen", "8080", "--no-wait");
    assertThat(badListen.code()).isEqualTo(2);
    assertThat(badListen.err().strip())
        .isEqualTo("error: --listen must be HOST:PORT, got \"nowhere\"");
    assertThat(badStore.code()).isNotZero();
    assertThat(badStore.err().strip().lines()).hasSize(1);
    assertThat(noData.code()).isEqualTo(2);
    assertThat(portTaken.code()).isEqualTo(1);
    assertThat(portTaken.err().strip().lines()).hasSize(1);
    assertThat(portTaken.err()).startsWith("error: cannot listen on 256.1.1.1:1");
    assertThat(badGatewayListen.code()).isEqualTo(2);
    assertThat(badGatewayListen.err().strip())
        .isEqualTo("error: --gateway-listen must be HOST:PORT, got \"8080\"");
  }
}
