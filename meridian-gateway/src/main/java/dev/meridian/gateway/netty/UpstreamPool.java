package dev.meridian.gateway.netty;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RouteDecision.Limits;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 connections of one event loop to one endpoint. Lives on that loop only, so it needs
 * no locks and a request never changes threads: the request's downstream channel, its upstream
 * connection and its timers share the loop. Idle connections are reused most-recent first (warm,
 * least likely closed by the backend) and closed once nothing was read from them for {@link
 * #IDLE_SECONDS} while unused (the last read of a pooled connection is its last response).
 *
 * <p>Circuit breaking: at most {@code maxConnections} open (or opening) connections; beyond that,
 * at most {@code maxPendingRequests} attempts wait for one to be released, and the next attempt
 * fails at once instead of queueing without bound.
 */
final class UpstreamPool implements ConnectionSource {

  static final int IDLE_SECONDS = 60;

  private final UpstreamPools owner;
  private final EventLoop loop;
  private final Endpoint endpoint;
  private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int open;
  private Limits limits = Limits.DEFAULT;

  UpstreamPool(UpstreamPools owner, EventLoop loop, Endpoint endpoint) {
    this.owner = owner;
    this.loop = loop;
    this.endpoint = endpoint;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public void acquire(Waiter waiter, Limits routeLimits) {
    this.limits = routeLimits;
    UpstreamConnection c;
    while ((c = idle.pollLast()) != null) {
      if (c.channel().isActive()) {
        waiter.onAcquired(c);
        return;
      }
    }
    if (open < limits.maxConnections()) {
      connect(waiter);
    } else if (waiters.size() < limits.maxPendingRequests()) {
      waiters.add(waiter);
    } else {
      owner.context().metrics().upstreamError(endpoint.cluster(), "circuit_open");
      waiter.onAcquireFailed(
          new CircuitOpenException(
              "circuit open: "
                  + open
                  + " connections and "
                  + waiters.size()
                  + " waiting for "
                  + endpoint.id()),
          true);
    }
  }

  @Override
  public void release(UpstreamConnection c) {
    if (!c.channel().isActive()) {
      return;
    }
    Waiter w;
    while ((w = waiters.poll()) != null) {
      if (!w.cancelled()) {
        w.onAcquired(c);
        return;
      }
    }
    idle.addLast(c);
  }

  private void connect(Waiter waiter) {
    open++;
    owner.context().metrics().upstreamConnections().incrementAndGet();
    UpstreamConnection connection = new UpstreamConnection(this);
    UpstreamConnector.connect(
        owner.context(),
        loop,
        endpoint,
        p -> {
          p.addLast("flush", new FlushConsolidationHandler(256, true));
          p.addLast(
              "http-codec",
              new HttpClientCodec(
                  new HttpDecoderConfig().setMaxHeaderSize(64 * 1024), false, false));
          p.addLast("idle", new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS));
          p.addLast("upstream", new UpstreamHandler(connection));
        },
        ch -> onClosed(connection),
        new UpstreamConnector.Result() {
          @Override
          public void ready(Channel ch) {
            connection.channel(ch);
            handOut(waiter, connection);
          }

          @Override
          public void failed(Throwable cause, boolean opened) {
            if (!opened) {
              connectionGone(); // else its close does
            }
            waiter.onAcquireFailed(cause, false);
          }
        });
  }

  private void handOut(Waiter waiter, UpstreamConnection connection) {
    if (waiter.cancelled()) {
      release(connection);
    } else {
      waiter.onAcquired(connection);
    }
  }

  private void onClosed(UpstreamConnection c) {
    idle.remove(c);
    connectionGone();
  }

  private void connectionGone() {
    open--;
    owner.context().metrics().upstreamConnections().decrementAndGet();
    Waiter w;
    while (open < limits.maxConnections() && (w = waiters.poll()) != null) {
      if (!w.cancelled()) {
        connect(w);
      }
    }
    if (open == 0 && waiters.isEmpty()) {
      owner.remove(this);
    }
  }
}
