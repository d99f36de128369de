package dev.meridian.gateway.health;

import dev.meridian.gateway.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every health-check target of the current table with {@code GET path} over a fresh
 * connection ({@code Connection: close}, so that an endpoint which stops accepting connections is
 * seen at the next probe even when an old connection still works); a 2xx or 3xx within the timeout
 * is a success, anything else (refused or timed-out connect, reset, other status) a failure. After
 * {@code unhealthyThreshold} failures in a row the endpoint is marked unhealthy in {@link
 * EndpointStates}, after {@code healthyThreshold} successes healthy again.
 *
 * <p>Runs on a given Netty {@link EventLoopGroup} with no thread of its own: each target is a timer
 * on an event loop (spread with a random first delay), and at most {@code maxConcurrent} probes are
 * open at once (a probe that finds no slot waits for the next tick), so 10,000 endpoints cost
 * 10,000 timers, not threads.
 *
 * <p>An endpoint held by several routes is probed once, with the settings of the first target
 * listed for it.
 */
public final class ActiveHealthChecker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ActiveHealthChecker.class);
  public static final int DEFAULT_MAX_CONCURRENT = 256;
  private static final long RETRY_SLOT_MILLIS = 10;

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final EndpointStates states;
  private final MeterRegistry registry;
  private final int maxConcurrent;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, Probe> probes = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** With NIO channels, which work on any {@link io.netty.channel.IoEventLoopGroup} with NIO. */
  public ActiveHealthChecker(EventLoopGroup group, EndpointStates states, MeterRegistry registry) {
    this(group, NioSocketChannel.class, states, registry, DEFAULT_MAX_CONCURRENT);
  }

  /**
   * @param channelType the client channel class matching {@code group}'s transport
   * @param maxConcurrent the most probes open at once
   */
  public ActiveHealthChecker(
      EventLoopGroup group,
      Class<? extends SocketChannel> channelType,
      EndpointStates states,
      MeterRegistry registry,
      int maxConcurrent) {
    this.group = group;
    this.states = states;
    this.registry = registry;
    this.maxConcurrent = maxConcurrent;
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, false);
  }

  /** Probes the targets of {@code table} from now on (call it when the table is swapped in). */
  public void update(HealthTargets table) {
    update(table.healthTargets());
  }

  /**
   * Makes {@code targets} the set probed: new endpoints start within one interval, removed ones
   * stop (and are no longer held unhealthy by a check), kept ones keep their counters unless their
   * settings changed.
   */
  public void update(Collection<HealthTarget> targets) {
    if (closed) {
      return;
    }
    Map<String, HealthTarget> wanted = new HashMap<>();
    for (HealthTarget t : targets) {
      wanted.putIfAbsent(t.endpoint().id(), t);
    }
    probes
        .entrySet()
        .removeIf(
            e -> {
              HealthTarget t = wanted.get(e.getKey());
              Probe p = e.getValue();
              if (t != null && t.equals(p.target)) {
                return false;
              }
              p.cancelled = true;
              if (t == null) {
                states.activeHealth(p.target.endpoint(), true);
              }
              return true;
            });
    for (HealthTarget t : wanted.values()) {
      probes.computeIfAbsent(
          t.endpoint().id(),
          id -> {
            Probe p = new Probe(t, group.next());
            long first =
                ThreadLocalRandom.current().nextLong(Math.max(1, t.check().interval().toMillis()));
            p.loop.schedule(p::run, first, TimeUnit.MILLISECONDS);
            return p;
          });
    }
  }

  /** How many endpoints are probed. */
  public int size() {
    return probes.size();
  }

  @Override
  public void close() {
    closed = true;
    probes.values().forEach(p -> p.cancelled = true);
    probes.clear();
  }

  private Counter failureCounter(String cluster) {
    return failures.computeIfAbsent(
        cluster,
        c ->
            Counter.builder("meridian.gateway.health.check.failures")
                .description("Active health checks that failed")
                .tag("cluster", c)
                .register(registry));
  }

  /** One target's timer chain and counters; every field is touched on its event loop only. */
  private final class Probe {
    final HealthTarget target;
    final EventLoop loop;
    volatile boolean cancelled;
    int successes;
    int failuresInRow;

    Probe(HealthTarget target, EventLoop loop) {
      this.target = target;
      this.loop = loop;
    }

    void run() {
      if (cancelled || closed) {
        return;
      }
      if (open.incrementAndGet() > maxConcurrent) {
        open.decrementAndGet();
        loop.schedule(this::run, RETRY_SLOT_MILLIS, TimeUnit.MILLISECONDS);
        return;
      }
      long started = System.nanoTime();
      Endpoint e = target.endpoint();
      HealthCheckSettings c = target.check();
      ProbeHandler handler = new ProbeHandler(e.host(), e.port(), c.path());
      ChannelFuture connect;
      try {
        connect =
            bootstrap
                .clone(loop)
                .option(
                    ChannelOption.CONNECT_TIMEOUT_MILLIS,
                    (int) Math.max(1, Math.min(Integer.MAX_VALUE, c.timeout().toMillis())))
                .handler(handler)
                .connect(e.host(), e.port());
      } catch (RuntimeException ex) {
        open.decrementAndGet();
        done(false);
        loop.schedule(this::run, c.interval().toNanos(), TimeUnit.NANOSECONDS);
        return;
      }
      Channel ch = connect.channel();
      var timeout =
          loop.schedule(() -> handler.fail(ch), c.timeout().toMillis(), TimeUnit.MILLISECONDS);
      connect.addListener(
          f -> {
            if (!f.isSuccess()) {
              handler.fail(ch);
            }
          });
      handler
          .result()
          .addListener(
              f -> {
                timeout.cancel(false);
                open.decrementAndGet();
                ch.close();
                boolean ok = f.isSuccess() && Boolean.TRUE.equals(f.getNow());
                long elapsed = System.nanoTime() - started;
                if (ok) {
                  states.probeLatency(e, elapsed);
                }
                done(ok);
                long next = Math.max(0, c.interval().toNanos() - elapsed);
                if (!cancelled && !closed) {
                  loop.schedule(this::run, next, TimeUnit.NANOSECONDS);
                }
              });
    }

    private void done(boolean ok) {
      Endpoint e = target.endpoint();
      EndpointState s = states.state(e.id());
      if (ok) {
        failuresInRow = 0;
        successes++;
        states.probePassed(e);
        if (s != null && !s.activelyHealthy() && successes >= target.check().healthyThreshold()) {
          log.info("endpoint {} is healthy again", e.id());
          states.activeHealth(e, true);
        }
      } else {
        successes = 0;
        failuresInRow++;
        failureCounter(e.cluster()).increment();
        if (s != null
            && s.activelyHealthy()
            && failuresInRow >= target.check().unhealthyThreshold()) {
          log.info("endpoint {} failed {} health checks in a row", e.id(), failuresInRow);
          states.activeHealth(e, false);
        }
      }
    }
  }
}
