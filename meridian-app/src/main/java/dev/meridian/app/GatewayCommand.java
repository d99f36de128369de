package dev.meridian.app;

import dev.meridian.api.ResourceCodec;
import dev.meridian.cli.internal.CliContext;
import dev.meridian.cli.internal.CliException;
import dev.meridian.cli.internal.ConnectionOptions;
import dev.meridian.cli.internal.HttpClients;
import dev.meridian.cli.internal.HubEndpoint;
import dev.meridian.gateway.Gateway;
import dev.meridian.gateway.GatewayOptions;
import dev.meridian.gateway.RunningGateway;
import dev.meridian.gateway.config.CompileContext;
import dev.meridian.gateway.hub.FileRouteSource;
import dev.meridian.gateway.hub.HubRouteSource;
import dev.meridian.gateway.hub.RouteSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meridian gateway}: the HTTP data plane, routing by the hub's GlobalRoutes (or by routes
 * from files, without a hub). Runs until interrupted.
 */
@Command(
    name = "gateway",
    description =
        "Run the global gateway: route HTTP to the clusters' endpoints by the hub's GlobalRoutes.",
    mixinStandardHelpOptions = true)
final class GatewayCommand implements Callable<Integer> {
  private final CliContext ctx;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile RunningGateway running;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--routes",
      paramLabel = "FILE|DIR",
      description =
          "Serve the GlobalRoutes of these YAML/JSON files instead of the hub's (read again when"
              + " they change).")
  Path routes;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:8080",
      description = "HOST:PORT to serve HTTP on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--name",
      description =
          "This gateway's name: routes whose spec.gateways is set serve only the gateways it"
              + " names.")
  String name;

  @Option(
      names = "--region",
      defaultValue = "",
      description = "The gateway's own region: clients located by nothing else are assumed here.")
  String region;

  @Option(
      names = "--client-region-header",
      paramLabel = "HEADER",
      description =
          "A trusted request header carrying the client's region (set by a front proxy or CDN).")
  String clientRegionHeader;

  @Option(
      names = "--client-regions",
      paramLabel = "FILE",
      description = "YAML map of client address blocks to regions ({\"10.1.0.0/16\": eu-west}).")
  Path clientRegions;

  @Option(
      names = "--event-loops",
      defaultValue = "0",
      description = "Event loop threads (default: one per core).")
  int eventLoops;

  @Option(
      names = "--admin-listen",
      paramLabel = "HOST:PORT",
      description = "Serve /metrics (Prometheus) and /healthz here.")
  String adminListen;

  @Option(
      names = "--tls",
      paramLabel = "CERT,KEY",
      description =
          "Terminate TLS with this PEM certificate chain and key (the default certificate)."
              + " Reloaded when the files change.")
  String tls;

  @Option(
      names = "--sni-cert",
      paramLabel = "HOST=CERT,KEY",
      description =
          "A certificate for one SNI host name (*.example.com for one label); repeatable; needs"
              + " --tls.")
  Map<String, String> sniCerts = new LinkedHashMap<>();

  @Option(names = "--backend-ca", paramLabel = "FILE", description = "CA bundle for TLS backends.")
  Path backendCa;

  @Option(
      names = "--backend-cert",
      paramLabel = "CERT,KEY",
      description = "Client certificate and key presented to TLS backends (mTLS).")
  String backendCert;

  @Option(
      names = "--access-log-sample",
      defaultValue = "0",
      description = "Share of requests written to the access log, 0 to 1 (default: 0, off).")
  double accessLogSample;

  GatewayCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    Gateway.processDefaults();
    GatewayOptions options = options();
    RouteSource source = source();
    Map<String, String> cidrs = clientRegions == null ? Map.of() : readCidrs(clientRegions);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    running = start(options, name, region, clientRegionHeader, cidrs, source, registry);
    PrintWriter out = ctx.out();
    out.println(
        "meridian gateway listening on http"
            + (tls == null ? "" : "s")
            + "://"
            + hostPort(running.gateway().address())
            + (routes == null ? " (routes from the hub)" : " (routes from " + routes + ")"));
    if (running.gateway().adminAddress() != null) {
      out.println("metrics on http://" + hostPort(running.gateway().adminAddress()) + "/metrics");
    }
    out.flush();
    Thread hook = new Thread(stop::countDown, "gateway-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stop.await();
    } finally {
      running.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    return 0;
  }

  /**
   * Starts a gateway on {@code source}; a failure to start (a port taken, a certificate that cannot
   * be read) closes the source and is one line.
   */
  static RunningGateway start(
      GatewayOptions options,
      String name,
      String region,
      String clientRegionHeader,
      Map<String, String> cidrs,
      RouteSource source,
      MeterRegistry registry) {
    try {
      return RunningGateway.start(
          options,
          name,
          region,
          c -> {
            CompileContext s = c.withClientRegionHeader(clientRegionHeader);
            return cidrs.isEmpty() ? s : s.withClientCidrs(cidrs);
          },
          source,
          registry);
    } catch (IllegalStateException | IllegalArgumentException e) {
      source.close();
      throw new CliException(e.getMessage(), e);
    }
  }

  /** The hub's GlobalRoutes, by list and watch. */
  static RouteSource hubSource(HubEndpoint hub) {
    return new HubRouteSource(
        HttpClients.forEndpoint(hub), URI.create(hub.url()), hub.token().orElse(null));
  }

  /** Stops a running command (tests). */
  void stop() {
    stop.countDown();
  }

  RunningGateway running() {
    return running;
  }

  private GatewayOptions options() {
    Listen l = Listen.parse("--listen", listen);
    GatewayOptions.Builder o = GatewayOptions.builder(l.host(), l.port());
    if (eventLoops < 0) {
      throw CliException.usage("--event-loops must not be negative");
    }
    if (eventLoops > 0) {
      o.eventLoops(eventLoops);
    }
    if (adminListen != null) {
      Listen a = Listen.parse("--admin-listen", adminListen);
      o.admin(a.host(), a.port());
    }
    if (tls == null && !sniCerts.isEmpty()) {
      throw CliException.usage("--sni-cert needs --tls (the default certificate)");
    }
    if (tls != null) {
      Map<String, GatewayOptions.CertificateFiles> byHost = new LinkedHashMap<>();
      sniCerts.forEach((host, pair) -> byHost.put(host, certificate("--sni-cert", pair)));
      o.tls(new GatewayOptions.DownstreamTls(certificate("--tls", tls), byHost, null));
    }
    if (backendCa != null || backendCert != null) {
      o.backendTls(
          new GatewayOptions.BackendTls(
              backendCert == null ? null : certificate("--backend-cert", backendCert), backendCa));
    }
    if (accessLogSample < 0 || accessLogSample > 1) {
      throw CliException.usage("--access-log-sample must be between 0 and 1");
    }
    return o.accessLogSampleRate(accessLogSample).build();
  }

  private static GatewayOptions.CertificateFiles certificate(String flag, String pair) {
    int comma = pair.indexOf(',');
    if (comma <= 0 || comma == pair.length() - 1) {
      throw CliException.usage(flag + " must be CERT,KEY, got \"" + pair + "\"");
    }
    return new GatewayOptions.CertificateFiles(
        Path.of(pair.substring(0, comma)), Path.of(pair.substring(comma + 1)));
  }

  private RouteSource source() {
    if (routes != null) {
      if (connection.given()) {
        throw CliException.usage("--routes and --hub/--token-file/--ca-file exclude each other");
      }
      FileRouteSource files = new FileRouteSource(routes);
      try {
        files.read(); // a bad file is a start-up error, not a log line
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      }
      return files;
    }
    return hubSource(connection.endpoint(ctx));
  }

  private static Map<String, String> readCidrs(Path file) {
    try {
      var tree = ResourceCodec.YAML.readTree(Files.readString(file));
      Map<String, String> map = new LinkedHashMap<>();
      if (tree == null || !tree.isObject()) {
        throw new CliException("--client-regions " + file + ": expected a map of CIDR to region");
      }
      tree.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isTextual()) {
                  throw new CliException(
                      "--client-regions " + file + ": " + e.getKey() + ": region must be a string");
                }
                map.put(e.getKey(), e.getValue().asText());
              });
      return map;
    } catch (IOException e) {
      throw new CliException("cannot read --client-regions " + file + ": " + e.getMessage(), e);
    }
  }

  static String hostPort(java.net.InetSocketAddress a) {
    String h = a.getAddress().getHostAddress();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
  }
}
