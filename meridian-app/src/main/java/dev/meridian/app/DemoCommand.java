package dev.meridian.app;

import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.cli.internal.CliException;
import dev.meridian.hub.ApiException;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import dev.meridian.hub.ResourceService;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
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
        "Start a hub with a sample fleet (three SIMULATED clusters: DE, US, IN) and a sample app.",
    mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
  static final List<String> MANIFESTS = List.of("fleet.yaml", "shop.yaml");

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

  @Override
  public Integer call() throws Exception {
    Listen l = Listen.parse(listen);
    boolean temporary = data == null;
    Path dir = temporary ? Files.createTempDirectory("meridian-demo-") : data;
    Hub hub;
    try {
      hub = Main.startHub(HubOptions.of(dir, l.host(), l.port()));
    } catch (CliException e) {
      if (temporary) {
        deleteTree(dir);
      }
      throw new CliException(
          e.getMessage() + " (is another hub or demo running? try --listen 127.0.0.1:0)", e);
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      int applied = 0;
      for (String m : MANIFESTS) {
        applied += load(hub.resources(), m);
      }
      out.println("Meridian demo");
      out.println(
          "  hub:        "
              + hub.url()
              + "   (data in "
              + dir
              + (temporary ? ", removed on exit" : "")
              + ")");
      out.println("  token:      " + hub.tokenFile() + "   (CA: " + hub.caFile() + ")");
      out.println("  kubeconfig: " + hub.kubeconfig() + "   (for kubectl)");

      out.println(
          "  clusters:   eu-west-1 (DE), us-east-1 (US), ap-south-1 (IN) -- SIMULATED clusters, not real Kubernetes");
      out.println("  objects:    " + applied + " applied from the sample fleet and the 'shop' app");
      out.println();
      out.println("Look at it (in another terminal):");
      out.println("  export MERIDIAN_HUB=" + hub.url() + " MERIDIAN_TOKEN_FILE=" + hub.tokenFile());
      out.println("  ./meridian get clusters");
      out.println(
          "  ./meridian get deploy,pp -n shop        # the app's template and its placement policy");
      out.println("  ./meridian describe cluster eu-west-1");
      out.println(
          "  ./meridian get rb -n shop -o wide       # where web runs, with how many replicas");
      out.println("  ./meridian get rb -n shop -o yaml       # ... and why not on ap-south-1");
      out.println(
          "  ./meridian describe gr web -n shop     # web's HTTP endpoints in each cluster");
      out.println(
          "  ./meridian get residencypolicies       # which clusters the GDPR guardrail allows");
      out.println(
          "  ./meridian sim fail us-east-1          # a simulated outage: Unknown after the grace period (40s)");
      out.println("  ./meridian get events                  # Ready / Unreachable transitions");

      out.println("  kubectl --kubeconfig " + hub.kubeconfig() + " get clusters");
      out.println(
          "  curl --cacert "
              + hub.caFile()
              + " -H \"Authorization: Bearer $(cat "
              + hub.tokenFile()
              + ")\" "
              + hub.url()
              + "/apis/fleet.meridian.dev/v1alpha1/clusters");
      out.println();
      out.println(
          "Running: the API, fleet health, placement and propagation (web runs 4 + 2 replicas on");
      out.println(
          "eu-west-1 and us-east-1). Not yet: the gateway, failover, GitOps. Press Ctrl-C to stop.");

      out.flush();
      if (noWait) {
        return 0;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    hub.close();
                    if (temporary) {
                      deleteTree(dir);
                    }
                    stopped.countDown();
                  },
                  "demo-shutdown"));
      stopped.await();
      return 0;
    } finally {
      if (noWait) {
        hub.close();
        if (temporary) {
          deleteTree(dir);
        }
      }
    }
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

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory left behind is harmless
    }
  }
}
