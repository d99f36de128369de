package dev.meridian.controllers.fleet;

import dev.meridian.api.Meta;
import dev.meridian.api.ResourceType;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.runtime.ControllerRunner;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the fleet's loops: every change to a {@code Cluster} queues its health reconcile, which
 * also re-probes on its own every probe interval.
 */
public final class FleetController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetController.class);

  /**
   * Probes run in parallel up to this many. A probe of an unreachable cluster waits out its
   * timeouts, so this must exceed the number of clusters likely to be down at once, or healthy
   * clusters go unprobed (bench/fleet --stall showed it at 16). The pool's threads are created on
   * demand up to this bound; they do not grow with the number of clusters.
   */
  private static final int PROBE_CONCURRENCY = 64;

  private final ControllerRunner health;
  private final AutoCloseable watch;
  private final java.util.Map<String, Long> seenGenerations =
      new java.util.concurrent.ConcurrentHashMap<>();

  public FleetController(
      ObjectClient objects,
      ResourceType clusters,
      MemberRegistry members,
      ClusterHealthController.Options options,
      ExecutorService workers,
      ScheduledExecutorService timers,
      Clock clock) {
    ClusterHealthController reconciler =
        new ClusterHealthController(
            objects,
            clusters,
            members,
            new EventRecorder(objects, clock, "meridian-fleet"),
            clock,
            options);
    this.health =
        new ControllerRunner("cluster-health", reconciler, workers, timers, PROBE_CONCURRENCY);
    this.watch =
        objects.watch(
            clusters,
            (type, cluster) -> {
              // status writes (ours, every probe) come back as events too: react only to new,
              // deleted or re-specified clusters, or the loop would probe without pause
              String name = Meta.name(cluster);
              long generation = cluster.path("metadata").path("generation").asLong();
              Long seen =
                  type == ObjectClient.ObjectEventType.DELETED
                      ? seenGenerations.remove(name)
                      : seenGenerations.put(name, generation);
              if (type != ObjectClient.ObjectEventType.MODIFIED
                  || seen == null
                  || seen != generation
                  || Meta.deleting(cluster)) {
                health.enqueue(name);
              }
            });
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (Exception e) {
      LOG.debug("closing the cluster watch: {}", e.toString());
    }
    health.close();
  }
}
