package dev.meridian.gateway.netty;

import dev.meridian.gateway.Endpoint;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;

/** The connection sources of one event loop, by endpoint id; used from that loop only. */
final class UpstreamPools {

  private final ProxyContext context;
  private final EventLoop loop;
  private final Map<String, ConnectionSource> byEndpoint = new HashMap<>();

  UpstreamPools(ProxyContext context, EventLoop loop) {
    this.context = context;
    this.loop = loop;
  }

  ProxyContext context() {
    return context;
  }

  ConnectionSource forEndpoint(Endpoint endpoint) {
    return byEndpoint.computeIfAbsent(
        endpoint.id(),
        id ->
            context.options().upstreamHttp2()
                ? new Http2Pool(this, loop, endpoint)
                : new UpstreamPool(this, loop, endpoint));
  }

  void remove(ConnectionSource pool) {
    byEndpoint.remove(pool.endpoint().id(), pool);
  }
}
