package dev.meridian.bench.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.Headers;
import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RouteDecision;
import dev.meridian.gateway.config.CompileContext;
import dev.meridian.gateway.config.CompiledTable;
import dev.meridian.gateway.config.RouteCompiler;
import dev.meridian.gateway.health.EndpointStates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The gateway's per-request routing work: {@code CompiledTable.decide} then {@code pick}, on a
 * table of 1,000 GlobalRoutes (900 exact hostnames, 100 wildcards; 4 rules each: an exact path, a
 * prefix with a header match, two prefixes) and 10,000 endpoints (10 per route in 5 clusters of 3
 * regions, from {@code status.backends}), with PreferClient locality from a trusted header, over
 * 4,096 pre-built requests in random order.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBench {

  static final int ROUTES = 1000;
  static final int ENDPOINTS_PER_ROUTE = 10;
  static final String[] REGIONS = {"eu-west", "eu-west", "us-east", "us-east", "ap-south"};
  static final String[] PATHS = {"/api/items/42", "/", "/healthz", "/api", "/static/app.js"};

  EndpointStates states;
  CompiledTable table;
  RequestHead[] heads;

  @Setup(Level.Trial)
  public void setUp() {
    states = new EndpointStates(new SimpleMeterRegistry());
    List<ObjectNode> routes = new ArrayList<>();
    for (int i = 0; i < ROUTES; i++) {
      routes.add(route(i));
    }
    table =
        new RouteCompiler()
            .compile(
                routes,
                CompileContext.of("edge", "eu-west", states)
                    .withClientRegionHeader("X-Client-Region"));
    if (!table.problems().isEmpty() || table.routes().size() != ROUTES) {
      throw new IllegalStateException("table did not compile: " + table.problems());
    }
    Random r = new Random(42);
    heads = new RequestHead[4096];
    for (int k = 0; k < heads.length; k++) {
      int i = r.nextInt(ROUTES);
      String host = i < 900 ? "svc" + i + ".example.com" : "a.w" + i + ".example.net";
      Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      h.put("X-Client-Region", REGIONS[r.nextInt(REGIONS.length)]);
      h.put("User-Agent", "bench");
      if (r.nextInt(10) == 0) {
        h.put("X-Canary", "true");
      }
      heads[k] =
          new RequestHead(
              "GET",
              host,
              PATHS[r.nextInt(PATHS.length)],
              "",
              new MapHeaders(h),
              new InetSocketAddress("192.0.2." + r.nextInt(250), 40000),
              false);
    }
    for (RequestHead head : heads) {
      if (!(table.decide(head) instanceof RouteDecision.Forward)) {
        throw new IllegalStateException("not forwarded: " + head);
      }
    }
  }

  static ObjectNode route(int i) {
    ObjectNode route = ResourceCodec.newObject();
    route.put("apiVersion", "network.meridian.dev/v1alpha1").put("kind", "GlobalRoute");
    route
        .putObject("metadata")
        .put("namespace", "ns" + (i % 20))
        .put("name", "svc" + i)
        .put("creationTimestamp", "2026-01-01T00:00:00Z");
    ObjectNode spec = route.putObject("spec");
    spec.putArray("hostnames")
        .add(i < 900 ? "svc" + i + ".example.com" : "*.w" + i + ".example.net");
    ArrayNode rules = spec.putArray("rules");
    rule(rules, i, "health", "Exact", "/healthz", false);
    rule(rules, i, "canary", "PathPrefix", "/api", true);
    rule(rules, i, "api", "PathPrefix", "/api", false);
    rule(rules, i, "root", "PathPrefix", "/", false);
    ObjectNode backend = route.putObject("status").putArray("backends").addObject();
    backend.put("kind", "Service").put("name", "svc" + i).put("port", 80);
    ArrayNode endpoints = backend.putArray("endpoints");
    for (int j = 0; j < ENDPOINTS_PER_ROUTE; j++) {
      int c = j % REGIONS.length;
      endpoints
          .addObject()
          .put("cluster", "c" + c)
          .put("region", REGIONS[c])
          .put("address", "10." + (i / 250) + "." + (i % 250) + "." + j)
          .put("port", 8080)
          .put("ready", true);
    }
    return route;
  }

  static void rule(ArrayNode rules, int i, String name, String type, String path, boolean canary) {
    ObjectNode rule = rules.addObject().put("name", name);
    ObjectNode match = rule.putArray("matches").addObject();
    match.putObject("path").put("type", type).put("value", path);
    if (canary) {
      match.putArray("headers").addObject().put("name", "X-Canary").put("value", "true");
    }
    rule.putArray("backendRefs")
        .addObject()
        .put("kind", "Service")
        .put("name", "svc" + i)
        .put("port", 80);
  }

  /** The index of the next request, per benchmark thread. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Benchmark
  public Endpoint decideAndPick(Cursor c) {
    RequestHead head = heads[c.next++ & (heads.length - 1)];
    RouteDecision.Forward f = (RouteDecision.Forward) table.decide(head);
    return f.backends().pick(head, Set.of()).orElse(null);
  }

  /** The same, with the feedback the proxy gives after the attempt (EWMA, in-flight, failures). */
  @Benchmark
  public Endpoint decidePickAndFeedback(Cursor c) {
    RequestHead head = heads[c.next++ & (heads.length - 1)];
    RouteDecision.Forward f = (RouteDecision.Forward) table.decide(head);
    Endpoint e = f.backends().pick(head, Set.of()).orElse(null);
    states.success(e, 1_000_000);
    return e;
  }

  /** Request headers over a case-insensitive map, as Netty's are: no allocation per lookup. */
  record MapHeaders(Map<String, String> map) implements Headers {
    @Override
    public String get(String name) {
      return map.get(name);
    }

    @Override
    public List<String> getAll(String name) {
      String v = map.get(name);
      return v == null ? List.of() : List.of(v);
    }
  }
}
