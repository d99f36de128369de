package dev.meridian.gateway;

import dev.meridian.gateway.netty.ProxyServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;

/**
 * The running gateway: a Netty HTTP/1.1 and HTTP/2 reverse proxy that routes each request by the
 * current {@link RoutingTable}. Thread-safe.
 */
public final class Gateway implements AutoCloseable {

  private final ProxyServer server;

  private Gateway(ProxyServer server) {
    this.server = server;
  }

  /**
   * Settings for a gateway process, to call before the first gateway starts: Netty's buffer leak
   * detector off unless {@code -Dio.netty.leakDetection.level} asks for it. The detector samples
   * one buffer in 128 and records a stack trace for it, a debugging aid that costs about 3% of the
   * gateway's CPU under load. The {@code gateway} command calls it; the proxy's own tests do not.
   */
  public static void processDefaults() {
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  /**
   * Binds the listeners and starts serving; returns once they are bound.
   *
   * @throws IllegalStateException when a listener cannot be bound or a certificate cannot be read
   */
  public static Gateway start(
      GatewayOptions options,
      RoutingTable initial,
      EndpointFeedback feedback,
      MeterRegistry registry) {
    return new Gateway(ProxyServer.start(options, initial, feedback, registry));
  }

  /**
   * Swaps the routing table atomically: requests that started keep the table they started with, new
   * requests use {@code next}; no connection is dropped.
   */
  public void routingTable(RoutingTable next) {
    server.routingTable(next);
  }

  /** The bound address of the proxy listener. */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The bound address of the admin listener, or null when there is none. */
  public InetSocketAddress adminAddress() {
    return server.adminAddress();
  }

  /** Stops accepting, closes every connection and stops the event loops; waits for them. */
  @Override
  public void close() {
    server.close();
  }
}
