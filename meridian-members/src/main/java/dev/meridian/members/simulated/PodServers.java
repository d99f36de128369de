package dev.meridian.members.simulated;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real HTTP servers that stand for the pods behind a simulated cluster's Services ({@code
 * servePods: true}): one server on loopback per Service, answering every request with 200 and a
 * short JSON body naming the cluster, its region and the Service, so that a gateway carries real
 * traffic and its failover can be watched.
 *
 * <p>A server keeps its port for the Service's life: while the cluster is failed its listening
 * socket is closed (connections are refused), and it listens again on the same port when the
 * cluster recovers. The JDK's {@code HttpServer} is used because this module has no HTTP server of
 * its own; its trade-off is one dispatcher thread per listening Service, while requests run on one
 * small executor shared by every simulated cluster. Not thread-safe: the member's lock guards it.
 */
final class PodServers {
  private static final Logger LOG = LoggerFactory.getLogger(PodServers.class);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static final class Served {
    final String body;
    final String cluster;
    int port; // 0 until first bound; kept for the Service's life
    HttpServer server; // null while stopped

    Served(String cluster, String body) {
      this.cluster = cluster;
      this.body = body;
    }
  }

  private final String cluster;
  private final String region;
  private final Executor executor;
  private final Map<String, Served> served = new HashMap<>();
  private boolean paused;

  PodServers(String cluster, String region, Executor executor) {
    this.cluster = cluster;
    this.region = region == null ? "" : region;
    this.executor = executor;
  }

  /**
   * Makes sure the Service {@code namespace/name} has a server (listening unless paused).
   *
   * @return its port, or 0 if it could not be bound (tried again on the next call)
   */
  int ensure(String namespace, String name) {
    String key = namespace + "/" + name;
    Served s =
        served.computeIfAbsent(
            key,
            k ->
                new Served(
                    cluster,
                    "{\"cluster\":\""
                        + json(cluster)
                        + "\",\"region\":\""
                        + json(region)
                        + "\",\"service\":\""
                        + json(k)
                        + "\"}\n"));
    if (!paused && s.server == null) {
      start(key, s);
    }
    return s.port;
  }

  /** The Services that have a server. */
  Set<String> services() {
    return Set.copyOf(served.keySet());
  }

  /** Stops the server of a Service that is gone (or no longer selects a workload). */
  void remove(String key) {
    Served s = served.remove(key);
    if (s != null) {
      stop(s);
    }
  }

  /** The cluster failed: every server stops listening, its port kept. */
  void pause() {
    paused = true;
    served.values().forEach(PodServers::stop);
  }

  /** The cluster recovered: every server listens again, on its port. */
  void resume() {
    paused = false;
    served.forEach(this::start);
  }

  void close() {
    served.values().forEach(PodServers::stop);
    served.clear();
  }

  private void start(String key, Served s) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, s.port), 64);
      server.setExecutor(executor);
      server.createContext("/", exchange -> answer(exchange, s));
      server.start();
      s.server = server;
      s.port = server.getAddress().getPort();
    } catch (IOException e) {
      LOG.warn(
          "{}: cannot serve {} on {}:{} (will retry): {}",
          cluster,
          key,
          LOOPBACK.getHostAddress(),
          s.port,
          e.toString());
    }
  }

  private static void stop(Served s) {
    if (s.server != null) {
      s.server.stop(0); // closes the listening socket and every open connection
      s.server = null;
    }
  }

  private static void answer(HttpExchange exchange, Served s) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
      boolean health = exchange.getRequestURI().getPath().equals("/healthz");
      byte[] body = (health ? "ok\n" : s.body).getBytes(StandardCharsets.UTF_8);
      exchange
          .getResponseHeaders()
          .put("Content-Type", List.of(health ? "text/plain" : "application/json"));
      exchange.getResponseHeaders().put("X-Meridian-Cluster", List.of(s.cluster));
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        exchange.getResponseBody().write(body);
      }
    }
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
