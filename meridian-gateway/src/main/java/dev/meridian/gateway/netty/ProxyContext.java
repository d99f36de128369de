package dev.meridian.gateway.netty;

import dev.meridian.gateway.EndpointFeedback;
import dev.meridian.gateway.GatewayOptions;
import dev.meridian.gateway.RoutingTable;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.util.Map;

/**
 * What every connection of one gateway shares: the current routing table (read once per request),
 * the pools of each event loop, feedback, meters and the access log.
 */
final class ProxyContext {

  private final GatewayOptions options;
  private final Transport transport;
  private final EndpointFeedback feedback;
  private final GatewayMetrics metrics;
  private final AccessLog accessLog;
  private final SslContext backendSsl;
  private volatile RoutingTable table;
  private volatile Map<EventLoop, UpstreamPools> pools = Map.of();

  ProxyContext(
      GatewayOptions options,
      Transport transport,
      RoutingTable table,
      EndpointFeedback feedback,
      GatewayMetrics metrics,
      SslContext backendSsl) {
    this.options = options;
    this.transport = transport;
    this.table = table;
    this.feedback = feedback;
    this.metrics = metrics;
    this.accessLog = new AccessLog(options.accessLogSampleRate());
    this.backendSsl = backendSsl;
  }

  void pools(Map<EventLoop, UpstreamPools> byLoop) {
    this.pools = Map.copyOf(byLoop);
  }

  UpstreamPools pools(EventLoop loop) {
    UpstreamPools p = pools.get(loop);
    if (p == null) {
      throw new IllegalStateException("not an event loop of this gateway: " + loop);
    }
    return p;
  }

  GatewayOptions options() {
    return options;
  }

  Transport transport() {
    return transport;
  }

  RoutingTable table() {
    return table;
  }

  void table(RoutingTable next) {
    this.table = next;
  }

  EndpointFeedback feedback() {
    return feedback;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  AccessLog accessLog() {
    return accessLog;
  }

  SslContext backendSsl() {
    return backendSsl;
  }
}
