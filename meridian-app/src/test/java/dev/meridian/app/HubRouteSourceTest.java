package dev.meridian.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.cli.internal.CliContext;
import dev.meridian.cli.internal.HttpClients;
import dev.meridian.cli.internal.HubEndpoint;
import dev.meridian.gateway.hub.HubRouteSource;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's view of the hub: GlobalRoutes of every namespace by list and watch, each change a
 * complete set, the last set kept while the hub is away, and the watch resumed when it is back.
 */
class HubRouteSourceTest {
  @TempDir Path dir;

  static String route(String ns, String name, int port) {
    return """
        apiVersion: network.meridian.dev/v1alpha1
        kind: GlobalRoute
        metadata: {name: %s, namespace: %s}
        spec:
          rules:
          - backendRefs:
            - kind: Static
              name: vms
              endpoints: [{address: 127.0.0.1, port: %d, cluster: dc-1}]
        """
        .formatted(name, ns, port);
  }

  private static List<ObjectNode> next(
      BlockingQueue<List<ObjectNode>> sets, Predicate<List<ObjectNode>> ok) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<ObjectNode> last = null;
    while (System.nanoTime() < deadline) {
      List<ObjectNode> s = sets.poll(100, TimeUnit.MILLISECONDS);
      if (s != null) {
        last = s;
        if (ok.test(s)) {
          return s;
        }
      }
    }
    throw new AssertionError("no such set of routes; last: " + last);
  }

  private static List<String> names(List<ObjectNode> routes) {
    return routes.stream().map(r -> Meta.namespace(r) + "/" + Meta.name(r)).toList();
  }

  @Test
  void followsTheHubsRoutesAndKeepsTheLastSetWhileItIsAway() throws Exception {
    HubOptions options = HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0).withControllers(false);
    Hub hub = Hub.start(options);
    int port = hub.port();
    try {
      SampleRoutes.apply(hub, route("default", "a", 9001));
      SampleRoutes.apply(hub, "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
      SampleRoutes.apply(hub, route("shop", "b", 9002));
      CliContext ctx =
          new CliContext(
              new PrintWriter(new StringWriter()),
              new PrintWriter(new StringWriter()),
              hub.clientEnvironment(),
              System.in,
              Clock.systemUTC());
      HubEndpoint endpoint = HubEndpoint.resolve(null, null, null, ctx);
      BlockingQueue<List<ObjectNode>> sets = new LinkedBlockingQueue<>();
      try (HubRouteSource source =
          new HubRouteSource(
              HttpClients.forEndpoint(endpoint),
              URI.create(endpoint.url()),
              endpoint.token().orElseThrow())) {
        // When
        source.start(sets::add);
        // Then: the list, from every namespace
        assertThat(names(next(sets, s -> true))).containsExactly("default/a", "shop/b");

        // When a route changes and another goes
        SampleRoutes.apply(hub, route("default", "a", 9011));
        next(sets, s -> s.get(0).toString().contains("9011"));
        SampleRoutes.delete(hub, "shop", "b");
        assertThat(names(next(sets, s -> s.size() == 1))).containsExactly("default/a");

        // When the hub goes away, nothing is delivered (the gateway keeps what it has) ...
        hub.close();
        assertThat(sets.poll(1, TimeUnit.SECONDS)).isNull();
        // ... and when it is back, with a change made meanwhile, the source catches up
        hub =
            Hub.start(HubOptions.of(dir.resolve("hub"), "127.0.0.1", port).withControllers(false));
        SampleRoutes.apply(hub, route("default", "c", 9003));
        assertThat(names(next(sets, s -> s.size() == 2))).containsExactly("default/a", "default/c");
      }
    } finally {
      hub.close();
    }
  }
}
