package dev.meridian.gateway.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Where a gateway's {@code GlobalRoute}s come from: the hub (by list and watch) or files. A source
 * hands over the whole current set on every change, never a part of it, so that the gateway
 * compiles and swaps one consistent table.
 */
public interface RouteSource extends AutoCloseable {

  /** Receives each new complete set of routes, on the source's own thread. */
  @FunctionalInterface
  interface Listener {
    void routes(List<ObjectNode> routes);
  }

  /** Starts delivering; the first set arrives as soon as it is known. */
  void start(Listener listener);

  @Override
  void close();
}
