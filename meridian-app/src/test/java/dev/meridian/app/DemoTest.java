package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running demo, driven as its output tells a user to: every {@code ./meridian} and {@code curl}
 * line it prints is run, in order, against the live demo (curl as the real client, through bash),
 * and each must succeed; a curl through the gateway must be answered by the cluster its comment
 * names, also right after {@code sim fail}.
 */
class DemoTest {
  static final Pattern CLUSTER = Pattern.compile("\\b(eu-west-1|us-east-1|ap-south-1)\\b");

  @TempDir Path dir;

  static Demo start(Path dir) throws Exception {
    return Demo.start(
        new Listen("127.0.0.1", 0), new Listen("127.0.0.1", 0), dir, Duration.ofSeconds(30));
  }

  static String printed(Demo demo) {
    StringWriter text = new StringWriter();
    demo.describe(new PrintWriter(text, true));
    return text.toString();
  }

  /** Runs one shell line with bash (10 s at most); returns exit code and output. */
  static Main.Result shell(String line) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bash", "-c", line).redirectError(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Main.Result(-1, "", "timed out: " + line);
    }
    return new Main.Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandTheDemoSuggestsWorksOnTheRunningDemo() throws Exception {
    try (Demo demo = start(dir)) {
      // Given: what the demo prints
      String text = printed(demo);
      assertThat(text).contains("first answer: {\"cluster\":\"eu-west-1\"");
      List<String> lines =
          text.lines()
              .map(String::strip)
              .filter(l -> l.startsWith("./meridian ") || l.startsWith("curl "))
              .toList();
      assertThat(lines).hasSizeGreaterThan(10);
      List<String> ran = new ArrayList<>();
      for (String line : lines) {
        String command = line.replaceAll("\\s+#.*$", "");
        String comment = line.length() > command.length() ? line.substring(command.length()) : "";
        // When
        Main.Result r;
        if (command.startsWith("./meridian ")) {
          r =
              Main.capture(
                  demo.hub().clientEnvironment(),
                  command.substring("./meridian ".length()).split("\\s+"));
        } else {
          r = shell(command);
        }
        ran.add(command);
        // Then
        assertThat(r.code()).as(command + ": " + r.err()).isZero();
        assertThat(r.out()).as(command).isNotBlank();
        if (command.contains(demo.gatewayUrl())) {
          Matcher expected = CLUSTER.matcher(comment);
          assertThat(expected.find()).as("the comment of " + line + " names a cluster").isTrue();
          assertThat(r.out())
              .as(command + comment)
              .contains("\"cluster\":\"" + expected.group(1) + "\"");
        }
      }
      assertThat(ran)
          .anyMatch(c -> c.startsWith("curl -s -H 'X-Client-Region: us-east'"))
          .contains("./meridian sim fail eu-west-1", "./meridian sim recover eu-west-1");
    }
  }

  @Test
  void aFailedClusterLosesTheDemosTrafficWithNoFailedRequest() throws Exception {
    try (Demo demo = start(dir)) {
      String curl = "curl -s -o /dev/null -w '%{http_code} ' " + demo.gatewayUrl();
      // Given: the gateway sends a client with no region to eu-west-1
      assertThat(shell("curl -s " + demo.gatewayUrl()).out()).contains("\"cluster\":\"eu-west-1\"");
      // When eu-west-1 fails, while curl keeps asking
      assertThat(Main.capture(demo.hub().clientEnvironment(), "sim", "fail", "eu-west-1").code())
          .isZero();
      Main.Result during = shell("for i in $(seq 20); do " + curl + "; done");
      Main.Result after = shell("curl -s " + demo.gatewayUrl());
      // Then no request failed, and the answers come from us-east-1
      assertThat(during.code()).isZero();
      assertThat(during.out().strip().split(" ")).hasSize(20).containsOnly("200");
      assertThat(after.out()).contains("\"cluster\":\"us-east-1\"");
      // and when it recovers, the traffic comes back
      assertThat(Main.capture(demo.hub().clientEnvironment(), "sim", "recover", "eu-west-1").code())
          .isZero();
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      String back = "";
      while (!back.contains("eu-west-1") && System.nanoTime() < deadline) {
        back = shell("curl -s " + demo.gatewayUrl()).out();
        Thread.sleep(200);
      }
      assertThat(back).contains("\"cluster\":\"eu-west-1\"");
    }
  }

  @Test
  void aTakenGatewayPortIsOneLineAndLeavesNothingRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path data = dir.resolve("demo");
      Files.createDirectories(data);
      Main.Result r =
          Main.capture(
              java.util.Map.of(),
              "demo",
              "--listen",
              "127.0.0.1:0",
              "--gateway-listen",
              "127.0.0.1:" + taken.getLocalPort(),
              "--data",
              data.toString(),
              "--no-wait");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().strip().lines()).hasSize(1);
      assertThat(r.err())
          .startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .contains("try --gateway-listen 127.0.0.1:0");
      // the hub it had started is stopped: its data directory can be opened again
      try (Demo again = start(data)) {
        assertThat(printed(again)).contains("objects:    0 applied");
      }
    }
  }
}
