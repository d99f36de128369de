package dev.meridian.gateway.netty;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RouteDecision.Limits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 to one endpoint from one event loop: a single multiplexed connection, one stream per
 * attempt. Each stream's pipeline converts frames to the same HTTP objects the HTTP/1.1 client
 * codec produces, so {@link Exchange} does not know which version it speaks. Circuit breaking
 * counts streams: {@code maxConnections} concurrent streams, and {@code maxPendingRequests}
 * attempts waiting for the connection to come up. A connection that received GOAWAY takes no new
 * streams; the next attempt opens another.
 */
final class Http2Pool implements ConnectionSource {

  private final UpstreamPools owner;
  private final EventLoop loop;
  private final Endpoint endpoint;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private Channel connection;
  private boolean connecting;
  private boolean goingAway;
  private int streams;

  Http2Pool(UpstreamPools owner, EventLoop loop, Endpoint endpoint) {
    this.owner = owner;
    this.loop = loop;
    this.endpoint = endpoint;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public void acquire(Waiter waiter, Limits limits) {
    boolean ready = connection != null && connection.isActive() && !goingAway;
    if (ready && streams < limits.maxConnections()) {
      openStream(waiter);
    } else if (!ready && waiters.size() < limits.maxPendingRequests()) {
      waiters.add(waiter);
      if (!connecting) {
        connect();
      }
    } else {
      owner.context().metrics().upstreamError(endpoint.cluster(), "circuit_open");
      waiter.onAcquireFailed(
          new CircuitOpenException(streams + " streams open to " + endpoint.id()), true);
    }
  }

  @Override
  public void release(UpstreamConnection c) {
    c.channel().close(); // a stream carries one request
  }

  private void connect() {
    connecting = true;
    goingAway = false;
    owner.context().metrics().upstreamConnections().incrementAndGet();
    UpstreamConnector.connect(
        owner.context(),
        loop,
        endpoint,
        p ->
            p.addLast("h2-codec", Http2FrameCodecBuilder.forClient().build())
                .addLast("h2-multiplex", new Http2MultiplexHandler(new RefusePush()))
                .addLast(
                    "idle", new IdleStateHandler(UpstreamPool.IDLE_SECONDS, 0, 0, TimeUnit.SECONDS))
                .addLast("lifecycle", new Lifecycle()),
        this::onClosed,
        new UpstreamConnector.Result() {
          @Override
          public void ready(Channel ch) {
            connected(ch);
          }

          @Override
          public void failed(Throwable cause, boolean opened) {
            if (!opened) {
              owner.context().metrics().upstreamConnections().decrementAndGet(); // else onClosed
            }
            failWaiters(cause);
          }
        });
  }

  private void connected(Channel ch) {
    connecting = false;
    connection = ch;
    Waiter w;
    while ((w = waiters.poll()) != null) {
      if (!w.cancelled()) {
        openStream(w);
      }
    }
  }

  private void failWaiters(Throwable cause) {
    connecting = false;
    Waiter w;
    while ((w = waiters.poll()) != null) {
      if (!w.cancelled()) {
        w.onAcquireFailed(cause, false);
      }
    }
  }

  private void onClosed(Channel ch) {
    owner.context().metrics().upstreamConnections().decrementAndGet();
    if (connection == ch) {
      connection = null;
    }
    if (connection == null && !connecting && waiters.isEmpty()) {
      owner.remove(this);
    }
  }

  private void openStream(Waiter waiter) {
    streams++;
    UpstreamConnection c = new UpstreamConnection(this);
    new Http2StreamChannelBootstrap(connection)
        .handler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline()
                    .addLast("h2-to-http", new Http2StreamFrameToHttpObjectCodec(false))
                    .addLast("upstream", new UpstreamHandler(c));
              }
            })
        .open()
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                streams--;
                waiter.onAcquireFailed(f.cause(), false);
                return;
              }
              Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
              c.channel(stream);
              stream.closeFuture().addListener(x -> streams--);
              if (waiter.cancelled()) {
                stream.close();
              } else {
                waiter.onAcquired(c);
              }
            });
  }

  /** Notes GOAWAY (no new streams) and closes the connection when idle without streams. */
  private final class Lifecycle extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2GoAwayFrame) {
        goingAway = true;
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent && streams == 0) {
        ctx.close();
      }
    }
  }

  /** Backends do not push to a proxy: pushed streams are reset. */
  private static final class RefusePush extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.close();
    }
  }
}
