package dev.meridian.app;

import dev.meridian.cli.internal.CliException;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meridian hub}: runs the fleet's API server until stopped. */
@Command(
    name = "hub",
    description = "Run the hub: the fleet's API server, with its durable store in --data.",
    mixinStandardHelpOptions = true)
final class HubCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      description = "Directory for the store and admin.token.")
  Path data;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:" + HubOptions.DEFAULT_PORT,
      description = "HOST:PORT to serve on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--store",
      defaultValue = "embedded",
      description = "Store backend: embedded (default). etcd is not available yet.")
  String store;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "" + HubOptions.DEFAULT_MAX_BODY,
      description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--insecure-http",
      description =
          "Serve plain HTTP instead of TLS. Only behind a TLS-terminating proxy: kubectl sends no"
              + " credentials over plain HTTP.")
  boolean insecureHttp;

  @Option(
      names = "--probe-interval",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How often member clusters are probed (default: ${DEFAULT-VALUE}).")
  java.time.Duration probeInterval;

  @Option(
      names = "--cluster-grace-period",
      defaultValue = "40s",
      converter = DurationConverter.class,
      description =
          "How long a silent cluster keeps its state before it turns Unknown and is tainted (default: ${DEFAULT-VALUE}).")
  java.time.Duration gracePeriod;

  @Option(
      names = "--resync-period",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "How often member clusters are checked against what Meridian sent them; drift is reverted (default: ${DEFAULT-VALUE}).")
  java.time.Duration resync;

  @Override
  public Integer call() throws InterruptedException {
    if (!store.equals("embedded")) {
      throw CliException.usage("--store " + store + " is not available yet; use --store embedded");
    }
    Listen l = Listen.parse("--listen", listen);
    Hub hub =
        Main.startHub(
            new HubOptions(
                data,
                l.host(),
                l.port(),
                maxBodyBytes,
                insecureHttp,
                probeInterval,
                gracePeriod,
                resync,
                true));
    PrintWriter out = spec.commandLine().getOut();
    out.println("meridian hub listening on " + hub.url());
    out.println("admin token in " + hub.tokenFile().toAbsolutePath());
    if (hub.caFile() != null) {
      out.println(
          "CA certificate in "
              + hub.caFile().toAbsolutePath()
              + "; kubeconfig in "
              + hub.kubeconfig().toAbsolutePath());
    }
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  hub.close();
                  stopped.countDown();
                },
                "hub-shutdown"));
    stopped.await();
    return 0;
  }
}
