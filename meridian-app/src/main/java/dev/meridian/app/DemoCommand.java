package dev.meridian.app;

import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.hub.ApiException;
import dev.meridian.hub.HubOptions;
import dev.meridian.hub.ResourceService;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meridian demo}: a hub with its embedded store and a sample fleet of three simulated
 * clusters in three countries, with a sample app and its policies. Ctrl-C stops everything.
 */
@Command(
    name = "demo",
    description =
        "Start a hub with a sample fleet (three SIMULATED clusters: DE, US, IN), a sample app and"
            + " a gateway in front of it.",
    mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
  static final List<String> MANIFESTS = List.of("fleet.yaml", "shop.yaml");

  /** How long the demo waits for the first answer through its gateway before it prints. */
  static final Duration READY = Duration.ofSeconds(20);

  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:" + HubOptions.DEFAULT_PORT,
      description = "HOST:PORT for the hub (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--data",
      description =
          "Keep the demo's state in this directory (default: a temporary one, removed on exit).")
  Path data;

  @Option(
      names = "--no-wait",
      description = "Set everything up, print it, and stop (for scripts and tests).")
  boolean noWait;

  @Option(
      names = "--gateway-listen",
      defaultValue = "127.0.0.1:8080",
      description =
          "HOST:PORT for the gateway in front of the sample app (default: ${DEFAULT-VALUE}).")
  String gatewayListen;

  @Override
  public Integer call() throws Exception {
    Listen hubAt = Listen.parse("--listen", listen);
    Listen gatewayAt = Listen.parse("--gateway-listen", gatewayListen);
    Demo demo = Demo.start(hubAt, gatewayAt, data, READY);
    PrintWriter out = spec.commandLine().getOut();
    if (noWait) {
      try (demo) {
        demo.describe(out);
      }
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  demo.close();
                  stopped.countDown();
                },
                "demo-shutdown"));
    demo.describe(out);
    stopped.await();
    return 0;
  }

  /** Creates the objects of one sample manifest; returns how many. */
  static int load(ResourceService service, String manifest) {
    String text;
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + manifest)) {
      if (in == null) {
        throw new IllegalStateException("demo manifest " + manifest + " is missing from the build");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int n = 0;
    for (var obj : ResourceCodec.readDocuments(text)) {
      ResourceType type =
          service
              .types()
              .byKind(Meta.apiVersion(obj), Meta.kind(obj))
              .orElseThrow(() -> new IllegalStateException("demo: unknown kind " + Meta.kind(obj)));
      try {
        service.create(type, type.namespaced() ? Meta.namespace(obj) : "", obj, false);
        n++;
      } catch (ApiException e) {
        if (e.code() != 409) {
          throw e;
        }
      }
    }
    return n;
  }
}
