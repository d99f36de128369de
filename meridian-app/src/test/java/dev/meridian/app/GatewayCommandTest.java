package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meridian gateway} as a user runs it: routes from files or from the hub, its flags wired
 * through (client region, metrics), and bad flags refused in one line before anything listens.
 */
class GatewayCommandTest {
  @TempDir Path dir;
  final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  /** A backend on loopback answering every request with {@code name}. */
  int backend(String name) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        "/",
        ex -> {
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    s.start();
    cleanup.add(() -> s.stop(0));
    return s.getAddress().getPort();
  }

  static String route(String name, String host, String... endpoints) {
    return """
        apiVersion: network.meridian.dev/v1alpha1
        kind: GlobalRoute
        metadata: {name: %s, namespace: default}
        spec:
          hostnames: [%s]
          rules:
          - backendRefs:
            - kind: Static
              name: vms
              endpoints: [%s]
        """
        .formatted(name, host, String.join(", ", endpoints));
  }

  static String endpoint(int port, String cluster, String region) {
    return "{address: 127.0.0.1, port: %d, cluster: %s, region: %s}"
        .formatted(port, cluster, region);
  }

  /** A gateway command running in the background. */
  record Running(GatewayCommand command, CompletableFuture<Integer> exit, StringWriter out) {
    String url() {
      return "http://" + GatewayCommand.hostPort(command.running().gateway().address());
    }

    String admin() {
      return "http://" + GatewayCommand.hostPort(command.running().gateway().adminAddress());
    }
  }

  Running start(Map<String, String> env, String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), env);
    GatewayCommand command = cl.getSubcommands().get("gateway").getCommand();
    String[] all = new String[args.length + 1];
    all[0] = "gateway";
    System.arraycopy(args, 0, all, 1, args.length);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(all));
    cleanup.add(
        () -> {
          command.stop();
          exit.get();
        });
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (command.running() == null && !exit.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(exit).as("the gateway exited: " + err).isNotDone();
    assertThat(command.running()).as("the gateway started").isNotNull();
    assertThat(command.running().awaitRoutes(Duration.ofSeconds(20))).isTrue();
    return new Running(command, exit, out);
  }

  /** An HTTP answer: status and body. */
  record Answer(int statusCode, String body) {}

  /**
   * One HTTP/1.1 GET on its own connection. A raw socket rather than the JDK client, which refuses
   * to set {@code Host}; headers are name, value pairs.
   */
  static Answer get(String url, String... headers) throws Exception {
    URI uri = URI.create(url);
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(5000);
      StringBuilder req =
          new StringBuilder("GET ").append(uri.getRawPath()).append(" HTTP/1.1\r\n");
      boolean host = false;
      for (int i = 0; i < headers.length; i += 2) {
        host |= headers[i].equalsIgnoreCase("Host");
        req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      if (!host) {
        req.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
      }
      req.append("Connection: close\r\n\r\n");
      s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      String head = all.substring(0, split);
      String body = all.substring(split + 4);
      int status = Integer.parseInt(head.substring(9, 12));
      if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new Answer(status, body);
    }
  }

  private static String unchunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  /** GETs until the answer satisfies {@code ok} (10 s); returns the last answer's body. */
  static String await(String url, Predicate<String> ok, String... headers) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      Answer r = get(url, headers);
      body = r.statusCode() + " " + r.body();
      if (ok.test(body)) {
        return body;
      }
      Thread.sleep(50);
    }
    return body;
  }

  @Test
  void routesFromAFileAreServedAndReadAgainWhenTheFileChanges() throws Exception {
    // Given: a routes file with one static backend, and a second backend for later
    int vm1 = backend("vm-1");
    int vm2 = backend("vm-2");
    Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, route("shop", "shop.example", endpoint(vm1, "dc-1", "eu-west")));

    // When
    Running g =
        start(
            Map.of(),
            "--routes",
            routes.toString(),
            "--listen",
            "127.0.0.1:0",
            "--admin-listen",
            "127.0.0.1:0",
            "--event-loops",
            "1");

    // Then: it says where it listens and routes by Host
    assertThat(g.out().toString())
        .contains("meridian gateway listening on " + g.url() + " (routes from " + routes + ")")
        .contains("metrics on " + g.admin() + "/metrics");
    Answer answer = get(g.url() + "/", "Host", "shop.example");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("vm-1");
    assertThat(get(g.url() + "/", "Host", "other.example").statusCode()).isEqualTo(404);

    // and counts it in Prometheus' format
    assertThat(get(g.admin() + "/metrics").body())
        .containsPattern("meridian_gateway_requests_total\\{[^}]*cluster=\"dc-1\"[^}]*\\} 1\\.0");

    // When the file changes, the new backend serves, with no restart
    Files.writeString(routes, route("shop", "shop.example", endpoint(vm2, "dc-2", "eu-west")));
    assertThat(await(g.url() + "/", b -> b.equals("200 vm-2"), "Host", "shop.example"))
        .isEqualTo("200 vm-2");

    // and a change that does not validate leaves the last good routes in force
    Files.writeString(routes, route("shop", "shop.example", "{address: 127.0.0.1, port: 0}"));
    Thread.sleep(2500); // the files are checked every second
    assertThat(get(g.url() + "/", "Host", "shop.example").body()).isEqualTo("vm-2");

    // When stopped, the command ends with 0
    g.command().stop();
    assertThat(g.exit().get()).isZero();
  }

  @Test
  void routesFromTheHubFollowItsChangesAndTheClientRegionHeaderPicksTheCluster() throws Exception {
    // Given: a hub with a route to two static endpoints in two regions
    int eu = backend("eu");
    int us = backend("us");
    Hub hub = Hub.start(HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0));
    cleanup.add(hub);
    SampleRoutes.apply(
        hub,
        route(
            "shop",
            "shop.example",
            endpoint(eu, "eu-1", "eu-west"),
            endpoint(us, "us-1", "us-east")));

    // When: the gateway runs against the hub, in eu-west, trusting X-Region
    Running g =
        start(
            hub.clientEnvironment(),
            "--listen",
            "127.0.0.1:0",
            "--region",
            "eu-west",
            "--client-region-header",
            "X-Region");

    // Then: clients are sent to their region's endpoint, and to the gateway's without one
    assertThat(g.out().toString()).contains("(routes from the hub)");
    for (int i = 0; i < 4; i++) {
      assertThat(get(g.url() + "/", "Host", "shop.example").body()).isEqualTo("eu");
      assertThat(get(g.url() + "/", "Host", "shop.example", "X-Region", "us-east").body())
          .isEqualTo("us");
    }

    // When the route changes on the hub, the gateway follows by watch
    SampleRoutes.apply(hub, route("shop", "shop.example", endpoint(us, "us-1", "us-east")));
    assertThat(await(g.url() + "/", b -> b.equals("200 us"), "Host", "shop.example"))
        .isEqualTo("200 us");
  }

  static Main.Result gateway(Path dir, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "gateway";
    System.arraycopy(args, 0, all, 1, args.length);
    return Main.capture(Map.of(), all);
  }

  @Test
  void badFlagsAreOneLineAndNothingListens() throws Exception {
    Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, route("shop", "shop.example", endpoint(9, "dc-1", "eu-west")));
    Path invalid = dir.resolve("invalid.yaml");
    Files.writeString(invalid, route("shop", "shop.example", "{address: 127.0.0.1, port: 0}"));
    Path regions = dir.resolve("regions.yaml");
    Files.writeString(regions, "- 10.0.0.0/8\n");
    String r = routes.toString();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String busy = "127.0.0.1:" + taken.getLocalPort();
      // usage errors: exit 2
      Object[][] usage = {
        {new String[] {"--routes", r, "--hub", "https://127.0.0.1:1"}, "exclude each other"},
        {new String[] {"--routes", r, "--listen", "8080"}, "--listen must be HOST:PORT"},
        {new String[] {"--routes", r, "--admin-listen", "x:y"}, "--admin-listen: \"y\" is not"},
        {new String[] {"--routes", r, "--event-loops", "-1"}, "--event-loops must not be negative"},
        {new String[] {"--routes", r, "--tls", "cert.pem"}, "--tls must be CERT,KEY"},
        {new String[] {"--routes", r, "--sni-cert", "a.example=c,k"}, "--sni-cert needs --tls"},
        {new String[] {"--routes", r, "--access-log-sample", "2"}, "between 0 and 1"},
        {new String[] {"--routes", r, "--no-such-flag"}, "Unknown option"},
      };
      for (Object[] u : usage) {
        Main.Result res = gateway(dir, (String[]) u[0]);
        assertThat(res.code()).as(String.join(" ", (String[]) u[0])).isEqualTo(2);
        assertThat(res.err()).contains((String) u[1]);
      }
      // start-up errors: exit 1, one line
      Object[][] failures = {
        {new String[] {"--routes", dir.resolve("missing.yaml").toString()}, "missing.yaml"},
        {new String[] {"--routes", invalid.toString()}, "invalid.yaml"},
        {new String[] {"--routes", r, "--client-regions", regions.toString()}, "regions.yaml"},
        {new String[] {"--routes", r, "--listen", busy}, "cannot listen on " + busy + ": "},
        {
          new String[] {"--routes", r, "--listen", "127.0.0.1:0", "--admin-listen", busy},
          "cannot listen on " + busy + ": "
        },
        {
          new String[] {"--routes", r, "--listen", "127.0.0.1:0", "--tls", "nope.crt,nope.key"},
          "nope.crt"
        },
      };
      for (Object[] f : failures) {
        Main.Result res = gateway(dir, (String[]) f[0]);
        assertThat(res.code()).as(String.join(" ", (String[]) f[0]) + res.err()).isEqualTo(1);
        assertThat(res.err().strip().lines()).as(res.err()).hasSize(1);
        assertThat(res.err()).startsWith("error: ").contains((String) f[1]);
      }
      // the port a failed start had bound is free again
      try (ServerSocket again = new ServerSocket()) {
        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      }
    }
  }
}
