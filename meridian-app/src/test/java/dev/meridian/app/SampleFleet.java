package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A hub in the test's JVM holding the sample fleet ({@code examples/fleet.yaml}: three SIMULATED
 * clusters in DE, US and IN, and the GDPR guardrail) and the namespace {@code shop}, driven through
 * the {@code meridian} command as a user would.
 */
final class SampleFleet implements AutoCloseable {
  private final Path dir;
  private Hub hub;

  private SampleFleet(Path dir, Hub hub) {
    this.dir = dir;
    this.hub = hub;
  }

  /**
   * @param options changes to the test hub's options (fast health checks already)
   */
  static SampleFleet start(Path dir, UnaryOperator<HubOptions> options) throws Exception {
    SampleFleet f = new SampleFleet(dir, Hub.start(options(dir, options)));
    f.apply(Files.readString(Path.of("..", "examples", "fleet.yaml")));
    f.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
    return f;
  }

  private static HubOptions options(Path dir, UnaryOperator<HubOptions> options) {
    return options.apply(
        HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0)
            .withHealth(Duration.ofMillis(200), Duration.ofSeconds(2)));
  }

  /** Starts the hub again on the same data, with other options. */
  void restart(UnaryOperator<HubOptions> options) {
    hub.close();
    hub = Hub.start(options(dir, options));
  }

  Hub hub() {
    return hub;
  }

  Main.Result run(String... args) {
    return Main.capture(hub.clientEnvironment(), args);
  }

  /** {@code meridian apply -f} of {@code yaml}, which must succeed. */
  Main.Result apply(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "m", ".yaml");
    Files.writeString(f, yaml);
    Main.Result r = run("apply", "-f", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  /** Runs {@code get} (with {@code -o json}) until what it prints satisfies {@code ok} (20 s). */
  JsonNode await(String what, Predicate<JsonNode> ok, String... get) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    String[] args = new String[get.length + 3];
    args[0] = "get";
    System.arraycopy(get, 0, args, 1, get.length);
    args[args.length - 2] = "-o";
    args[args.length - 1] = "json";
    while (System.nanoTime() < deadline) {
      Main.Result r = run(args);
      if (r.code() == 0) {
        last = ResourceCodec.JSON.readTree(r.out());
        if (ok.test(last)) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never " + what + "; last: " + last);
  }

  @Override
  public void close() {
    hub.close();
  }
}
