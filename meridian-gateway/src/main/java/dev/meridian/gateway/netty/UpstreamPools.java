package dev.meridian.gateway.netty;

import dev.meridian.gateway.Endpoint;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;

/** The connection pools of one event loop, by endpoint id; used from that loop only. */
final class UpstreamPools {

  private final ProxyContext context;
  private final EventLoop loop;
  private final Map<String, UpstreamPool> byEndpoint = new HashMap<>();

  UpstreamPools(ProxyContext context, EventLoop loop) {
    this.context = context;
    this.loop = loop;
  }

  ProxyContext context() {
    return context;
  }

  UpstreamPool forEndpoint(Endpoint endpoint) {
    return byEndpoint.computeIfAbsent(endpoint.id(), id -> new UpstreamPool(this, loop, endpoint));
  }

  void remove(UpstreamPool pool) {
    byEndpoint.remove(pool.endpoint().id(), pool);
  }
}
