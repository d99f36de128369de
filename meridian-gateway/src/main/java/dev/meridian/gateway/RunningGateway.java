package dev.meridian.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.gateway.config.CompileContext;
import dev.meridian.gateway.config.CompiledTable;
import dev.meridian.gateway.config.RouteCompiler;
import dev.meridian.gateway.health.ActiveHealthChecker;
import dev.meridian.gateway.health.EndpointStates;
import dev.meridian.gateway.hub.RouteSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway fed by a {@link RouteSource}: every set of routes the source hands over is compiled
 * into one table and swapped in, and its endpoints become the health checker's targets. A set with
 * routes that do not compile still loads the others, and each problem is logged once per set; the
 * proxy never sees a half-compiled route.
 */
public final class RunningGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningGateway.class);

  private final Gateway gateway;
  private final RouteSource source;
  private final EndpointStates states;
  private final EventLoopGroup healthLoop;
  private final ActiveHealthChecker health;
  private final RouteCompiler compiler = new RouteCompiler();
  private final CompileContext context;
  private final CountDownLatch loaded = new CountDownLatch(1);
  private volatile CompiledTable table;

  private RunningGateway(
      GatewayOptions options,
      String name,
      String region,
      UnaryOperator<CompileContext> settings,
      RouteSource source,
      MeterRegistry registry) {
    this.states = new EndpointStates(registry);
    this.gateway = Gateway.start(options, RoutingTable.EMPTY, states, registry);
    this.source = source;
    this.healthLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.health = new ActiveHealthChecker(healthLoop, states, registry);
    this.context =
        settings.apply(
            CompileContext.of(name, region, states).withListenPort(gateway.address().getPort()));
  }

  /**
   * Starts the proxy with no routes, then the source; the routes arrive as the source finds them
   * ({@link #awaitRoutes} waits for the first set).
   *
   * @param name the gateway's name ({@code spec.gateways}), or null
   * @param region the gateway's own region, or empty
   * @param settings the client location sources, added to the compile context
   */
  public static RunningGateway start(
      GatewayOptions options,
      String name,
      String region,
      UnaryOperator<CompileContext> settings,
      RouteSource source,
      MeterRegistry registry) {
    RunningGateway g = new RunningGateway(options, name, region, settings, source, registry);
    try {
      source.start(g::load);
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    return g;
  }

  private void load(List<ObjectNode> routes) {
    CompiledTable next = compiler.compile(routes, context);
    for (String problem : next.problems()) {
      LOG.warn("route not loaded: {}", problem);
    }
    gateway.routingTable(next);
    health.update(next);
    table = next;
    loaded.countDown();
    LOG.info("routing {} routes", next.routes().size());
  }

  /** Waits until the first set of routes is in force; false if it did not come in time. */
  public boolean awaitRoutes(Duration timeout) throws InterruptedException {
    return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The table in force, or null before the first set of routes. */
  public CompiledTable table() {
    return table;
  }

  public Gateway gateway() {
    return gateway;
  }

  @Override
  public void close() {
    source.close();
    health.close();
    gateway.close();
    healthLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
