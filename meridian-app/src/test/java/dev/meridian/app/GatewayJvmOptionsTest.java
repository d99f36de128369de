package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JVM options the gateway ships with ({@code src/main/jvm/gateway.jvmopts}, read by {@code
 * java @FILE} in {@code ./meridian gateway} and in bench/gateway): this JVM accepts the file and
 * ends up with the settings it promises.
 */
class GatewayJvmOptionsTest {

  private static final Path OPTIONS = Path.of("src/main/jvm/gateway.jvmopts");

  @Test
  void theJvmAcceptsTheFileAndTakesItsSettings() throws Exception {
    // Given
    String java = ProcessHandle.current().info().command().orElse("java");
    // When
    Process p =
        new ProcessBuilder(java, "@" + OPTIONS.toAbsolutePath(), "-XX:+PrintFlagsFinal", "-version")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // Then
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .containsPattern("bool UseSerialGC +:?= true")
        .containsPattern("bool TieredCompilation +:?= false")
        .containsPattern("uintx MaxHeapFreeRatio +:?= 20")
        .containsPattern("size_t NewSize +:?= 8388608");
  }

  @Test
  void theLauncherUsesTheFileForTheGatewayOnly() throws IOException {
    // the ./meridian script, two directories up: `gateway` gets the file, other commands do not
    String script = Files.readString(Path.of("..", "meridian"));
    assertThat(script)
        .contains("if [ \"${1:-}\" = gateway ]; then")
        .contains("default_opts=\"@$root/meridian-app/" + OPTIONS + "\"");
  }
}
