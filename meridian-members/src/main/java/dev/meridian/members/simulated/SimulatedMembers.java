package dev.meridian.members.simulated;

import dev.meridian.api.fleet.Cluster;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberTimeouts;
import dev.meridian.members.ResourceAmounts;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes clusters simulated inside the hub, for demos, what-if planning and scale tests. Every
 * simulated cluster of one factory shares one small scheduler (two threads by default) for its
 * timers and watch deliveries, so a thousand simulated clusters cost memory, not threads.
 */
public final class SimulatedMembers implements AutoCloseable {

  /** A simulated cluster without capacity in its spec gets this. */
  public static final Map<String, String> DEFAULT_CAPACITY =
      Map.of("cpu", "8", "memory", "32Gi", "pods", "110");

  /** How much {@code failure: Slow} multiplies the API latency when the spec has no slowFactor. */
  public static final double SLOW_FACTOR = 10;

  /**
   * @param timeouts a call whose simulated latency exceeds the request timeout fails like a real
   *     one, after the timeout
   * @param startDelay how long placed pods take to become ready
   * @param jobDuration how long a Job runs before it completes
   * @param threads scheduler threads shared by all simulated clusters
   */
  public record Options(
      MemberTimeouts timeouts, Duration startDelay, Duration jobDuration, int threads) {
    public Options {
      Objects.requireNonNull(timeouts, "timeouts");
      Objects.requireNonNull(startDelay, "startDelay");
      Objects.requireNonNull(jobDuration, "jobDuration");
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1");
      }
    }

    /** Default timeouts, pods ready after 1 s, Jobs done after 2 s, two threads. */
    public static Options defaults() {
      return new Options(MemberTimeouts.DEFAULT, Duration.ofSeconds(1), Duration.ofSeconds(2), 2);
    }

    public Options withStartDelay(Duration d) {
      return new Options(timeouts, d, jobDuration, threads);
    }

    public Options withJobDuration(Duration d) {
      return new Options(timeouts, startDelay, d, threads);
    }

    public Options withTimeouts(MemberTimeouts t) {
      return new Options(t, startDelay, jobDuration, threads);
    }
  }

  private final Options options;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Set<SimulatedMember> members = ConcurrentHashMap.newKeySet();

  /**
   * Requests to the HTTP servers of {@code servePods} clusters run here, shared by all of them;
   * made on demand and retired when idle, so clusters that serve nothing cost no thread.
   */
  private static final int POD_REQUEST_THREADS = 4;

  private final ThreadPoolExecutor podRequests;

  private SimulatedMembers(Options options) {
    this.options = options;
    AtomicInteger n = new AtomicInteger();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            options.threads(),
            r -> {
              Thread t = new Thread(r, "meridian-sim-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    AtomicInteger h = new AtomicInteger();
    this.podRequests =
        new ThreadPoolExecutor(
            POD_REQUEST_THREADS,
            POD_REQUEST_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "meridian-sim-http-" + h.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    podRequests.allowCoreThreadTimeOut(true);
  }

  public static SimulatedMembers create() {
    return new SimulatedMembers(Options.defaults());
  }

  public static SimulatedMembers create(Options options) {
    return new SimulatedMembers(Objects.requireNonNull(options, "options"));
  }

  public Options options() {
    return options;
  }

  /**
   * A simulated cluster as a Cluster object describes it: capacity, API latency, failure and {@code
   * servePods} from {@code spec.connection.simulated}, region and zone from {@code spec.location}.
   *
   * @throws MemberException (CONFIGURATION) if the spec is not a simulated connection or its
   *     capacity does not parse
   */
  public SimulatedMember create(Cluster cluster) {
    String name = cluster.metadata() == null ? null : cluster.metadata().name();
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("the Cluster has no name");
    }
    Cluster.Spec spec = cluster.spec();
    Cluster.Simulated sim =
        spec == null || spec.connection() == null ? null : spec.connection().simulated();
    if (sim == null) {
      throw MemberException.configuration(name, "the Cluster has no spec.connection.simulated");
    }
    Cluster.Location loc = spec.location();
    return create(name, sim, loc == null ? null : loc.region(), loc == null ? null : loc.zone());
  }

  /**
   * A simulated cluster.
   *
   * @param region reported as the nodes' topology region, or null
   * @param zone reported as the nodes' topology zone, or null
   */
  public SimulatedMember create(String name, Cluster.Simulated sim, String region, String zone) {
    Objects.requireNonNull(name, "name");
    ResourceAmounts capacity;
    try {
      Map<String, String> merged = new HashMap<>(DEFAULT_CAPACITY);
      if (sim != null && sim.capacity() != null) {
        merged.putAll(sim.capacity());
      }
      capacity = ResourceAmounts.parse(merged);
    } catch (IllegalArgumentException e) {
      throw MemberException.configuration(name, "simulated capacity: " + e.getMessage());
    }
    int latency = sim == null || sim.apiLatencyMs() == null ? 0 : Math.max(0, sim.apiLatencyMs());
    boolean servePods = sim != null && Boolean.TRUE.equals(sim.servePods());
    SimulatedMember m =
        new SimulatedMember(
            name,
            capacity,
            latency,
            region,
            zone,
            options,
            scheduler,
            servePods ? podRequests : null,
            members::remove);
    String failure = sim == null || sim.failure() == null ? "None" : sim.failure();
    switch (failure.toLowerCase(Locale.ROOT)) {
      case "down" -> m.fail();
      case "slow" -> m.slow(sim.slowFactor() == null ? SLOW_FACTOR : sim.slowFactor());
      case "none", "" -> {}
      default ->
          throw MemberException.configuration(
              name, "simulated failure must be None, Down or Slow, not " + failure);
    }
    members.add(m);
    return m;
  }

  /** The simulated clusters made here and not yet closed. */
  public List<SimulatedMember> members() {
    return List.copyOf(members);
  }

  /** Closes every simulated cluster made here, then the shared scheduler. */
  @Override
  public void close() {
    for (SimulatedMember m : List.copyOf(members)) {
      m.close();
    }
    scheduler.shutdownNow();
    podRequests.shutdownNow();
  }
}
