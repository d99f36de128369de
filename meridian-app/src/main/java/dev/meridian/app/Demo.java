package dev.meridian.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Conditions;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.ResourceType;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.cli.internal.CliContext;
import dev.meridian.cli.internal.CliException;
import dev.meridian.cli.internal.HubEndpoint;
import dev.meridian.gateway.GatewayOptions;
import dev.meridian.gateway.RunningGateway;
import dev.meridian.hub.FieldSelector;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import dev.meridian.hub.ResourceService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A running demo: the hub with the sample fleet and app, and the gateway in front of the app,
 * started and stopped together ({@code meridian demo} and its tests).
 */
final class Demo implements AutoCloseable {
  /** The trusted header the demo's gateway reads the client's region from. */
  static final String CLIENT_REGION_HEADER = "X-Client-Region";

  /** The demo gateway's own region: clients that name none are treated as coming from here. */
  static final String GATEWAY_REGION = "eu-west";

  private final Path dir;
  private final boolean temporary;
  private final Hub hub;
  private final RunningGateway gateway;
  private final int applied;
  private final String firstAnswer;

  private Demo(
      Path dir,
      boolean temporary,
      Hub hub,
      RunningGateway gateway,
      int applied,
      String firstAnswer) {
    this.dir = dir;
    this.temporary = temporary;
    this.hub = hub;
    this.gateway = gateway;
    this.applied = applied;
    this.firstAnswer = firstAnswer;
  }

  /**
   * Starts the hub on {@code data} (a temporary directory if null), loads the sample manifests,
   * starts the gateway, and waits (up to {@code ready}) until the gateway answers from the sample
   * app. Anything that fails on the way is undone.
   */
  static Demo start(Listen hubListen, Listen gatewayListen, Path data, Duration ready)
      throws IOException, InterruptedException {
    boolean temporary = data == null;
    Path dir = temporary ? Files.createTempDirectory("meridian-demo-") : data;
    Hub hub = null;
    RunningGateway gateway = null;
    try {
      try {
        hub = Main.startHub(HubOptions.of(dir, hubListen.host(), hubListen.port()));
      } catch (CliException e) {
        throw new CliException(
            e.getMessage() + " (is another hub or demo running? try --listen 127.0.0.1:0)", e);
      }
      int applied = 0;
      for (String m : DemoCommand.MANIFESTS) {
        if (m.equals("shop.yaml")) {
          // the app goes in once the clusters are Ready: scheduled while one still is not, its
          // division would leave that cluster out until the next scale-up or rebalance (a
          // decision is sticky), and the demo's lines promise a split over eu-west-1 and us-east-1
          awaitClustersReady(hub.resources(), System.nanoTime() + ready.toNanos());
        }
        applied += DemoCommand.load(hub.resources(), m);
      }
      HubEndpoint endpoint = endpoint(hub);
      try {
        gateway =
            GatewayCommand.start(
                GatewayOptions.builder(gatewayListen.host(), gatewayListen.port())
                    .eventLoops(1)
                    .build(),
                null,
                GATEWAY_REGION,
                CLIENT_REGION_HEADER,
                Map.of(),
                GatewayCommand.hubSource(endpoint),
                new SimpleMeterRegistry());
      } catch (CliException e) {
        throw new CliException(
            e.getMessage()
                + " (is another demo or gateway running? try --gateway-listen 127.0.0.1:0)",
            e);
      }
      long deadline = System.nanoTime() + ready.toNanos();
      String first = awaitAnswer(gatewayUrl(gateway), deadline, null, GATEWAY_REGION);
      // the printed lines also promise a US client us-east-1: its endpoints may come later
      awaitAnswer(gatewayUrl(gateway), deadline, "us-east", "us-east");
      return new Demo(dir, temporary, hub, gateway, applied, first);
    } catch (InterruptedException | RuntimeException e) {
      if (gateway != null) {
        gateway.close();
      }
      if (hub != null) {
        hub.close();
      }
      if (temporary) {
        deleteTree(dir);
      }
      throw e;
    }
  }

  /**
   * Asks the gateway, as a client of {@code clientRegion} (null: no region header), until the
   * sample app answers 200 from {@code region} (the clusters' endpoints are published one by one,
   * in no set order) or {@code deadline} ({@link System#nanoTime()}) passes; returns that body,
   * else the last 200's, or null.
   */
  private static String awaitAnswer(String url, long deadline, String clientRegion, String region)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    String last = null;
    do {
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
        if (clientRegion != null) {
          request.header(CLIENT_REGION_HEADER, clientRegion);
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          last = r.body().strip();
          if (last.contains("\"region\":\"" + region + "\"")) {
            return last;
          }
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return last;
  }

  /** Waits until every Cluster of the hub says Ready=True, or {@code deadline} passes. */
  private static void awaitClustersReady(ResourceService service, long deadline)
      throws InterruptedException {
    ResourceType clusters = service.types().byKind(Cluster.API_VERSION, Cluster.KIND).orElseThrow();
    while (System.nanoTime() < deadline) {
      List<ObjectNode> all =
          service.list(clusters, "", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items();
      if (!all.isEmpty() && all.stream().allMatch(c -> Conditions.isTrue(c, "Ready"))) {
        return;
      }
      Thread.sleep(50);
    }
  }

  /** How a client in this process reaches {@code hub}: its URL, CA and admin token. */
  static HubEndpoint endpoint(Hub hub) {
    return HubEndpoint.resolve(
        null,
        null,
        null,
        new CliContext(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            hub.clientEnvironment(),
            System.in,
            Clock.systemUTC()));
  }

  private static String gatewayUrl(RunningGateway g) {
    return "http://" + GatewayCommand.hostPort(g.gateway().address()) + "/";
  }

  Hub hub() {
    return hub;
  }

  /** The gateway's URL, {@code http://HOST:PORT/}. */
  String gatewayUrl() {
    return gatewayUrl(gateway);
  }

  /** Prints where everything is and what to try. */
  void describe(PrintWriter out) {
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
    String url = gatewayUrl();
    out.println(
        "  gateway:    "
            + url
            + "   (GlobalRoute web in shop; region "
            + GATEWAY_REGION
            + ", client region from "
            + CLIENT_REGION_HEADER
            + ")");
    out.println(
        "              "
            + (firstAnswer == null
                ? "not answering yet: the app is still starting (see ./meridian describe gr web -n shop)"
                : "first answer: " + firstAnswer));
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
    out.println("  ./meridian describe gr web -n shop      # web's HTTP endpoints in each cluster");
    out.println(
        "  ./meridian get residencypolicies        # which clusters the GDPR guardrail allows");
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
    out.println("Send traffic through the gateway (each answer names the cluster that served it):");
    out.println(
        "  curl -s " + url + "                              # nearest to the gateway: eu-west-1");
    out.println(
        "  curl -s -H '"
            + CLIENT_REGION_HEADER
            + ": us-east' "
            + url
            + "   # a client in the US: us-east-1");
    out.println(
        "  ./meridian sim fail eu-west-1           # a simulated outage: the gateway moves its traffic");
    out.println(
        "  curl -s " + url + "                              # now us-east-1, and no request fails");
    out.println(
        "  ./meridian get events                   # Ready / Unreachable transitions (after 40s)");
    out.println("  ./meridian sim recover eu-west-1        # traffic comes back within seconds");
    out.println();
    out.println(
        "Running: the API, fleet health, placement and propagation (web runs 4 + 2 replicas on");
    out.println(
        "eu-west-1 and us-east-1), and the gateway. A cluster unreachable for 40 s is tainted;");
    out.println(
        "after 30 s more (the default toleration) its replicas move to the others, and come back");
    out.println(
        "once it has been healthy for 5 minutes (failback). Not yet: GitOps. Press Ctrl-C to stop.");
    out.flush();
  }

  @Override
  public void close() {
    gateway.close();
    hub.close();
    if (temporary) {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory left behind is harmless
    }
  }
}
