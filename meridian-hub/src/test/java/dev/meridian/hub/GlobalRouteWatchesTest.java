package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.controllers.network.GlobalRouteController;
import dev.meridian.hub.internal.HubObjectClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GlobalRoute controller watches members only while some route exists. */
class GlobalRouteWatchesTest {
  static final String GR = "/apis/network.meridian.dev/v1alpha1/namespaces/default/globalroutes";

  @TempDir Path dir;

  static void await(String what, BooleanSupplier ok) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void memberWatchesStartWithTheFirstRouteAndStopWithTheLast() throws Exception {
    ExecutorService workers = Executors.newCachedThreadPool();
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false));
        GlobalRouteController routes =
            new GlobalRouteController(
                new HubObjectClient(hub.resources()),
                hub.resources().types(),
                hub.members(),
                Duration.ofSeconds(30),
                workers,
                timers,
                Clock.systemUTC())) {
      // Given a fleet of two connected clusters and no route
      TestClient client = TestClient.of(hub);
      client.post(HubApiTest.CLUSTERS, HubApiTest.cluster("eu-west-1", "DE"));
      client.post(HubApiTest.CLUSTERS, HubApiTest.cluster("us-east-1", "US"));
      for (String name : new String[] {"eu-west-1", "us-east-1"}) {
        // connected, as the health loop (not running here) would
        hub.members().member((ObjectNode) client.get(HubApiTest.CLUSTERS + "/" + name).json());
      }
      Thread.sleep(300);
      assertThat(routes.watchedClusters()).isZero();
      String route =
          """
          {"apiVersion":"network.meridian.dev/v1alpha1","kind":"GlobalRoute","metadata":{"name":"%s"},
           "spec":{"rules":[{"backendRefs":[{"name":"web","port":80}]}]}}""";

      // When routes are created, every member is watched
      client.post(GR, route.formatted("a"));
      client.post(GR, route.formatted("b"));
      await("both clusters watched", () -> routes.watchedClusters() == 2);
      await(
          "a status",
          () -> client.get(GR + "/b").json().path("status").path("backends").size() == 1);

      // When the last route goes, so do the watches
      client.delete(GR + "/a");
      Thread.sleep(300);
      assertThat(routes.watchedClusters()).isEqualTo(2);
      client.delete(GR + "/b");
      await("no cluster watched", () -> routes.watchedClusters() == 0);
    } finally {
      workers.shutdownNow();
      timers.shutdownNow();
    }
  }
}
