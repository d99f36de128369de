package dev.meridian.gateway.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;

/**
 * After a protocol switch (WebSocket's 101), relays bytes unchanged between the client and the
 * backend: the gateway does not parse frames, so it adds no latency and needs no WebSocket codec.
 * Backpressure: a side stops reading while the other cannot take more writes.
 */
final class RawRelay extends ChannelInboundHandlerAdapter {

  private final Channel peer;

  private RawRelay(Channel peer) {
    this.peer = peer;
  }

  /**
   * Removes the HTTP handlers of both pipelines and relays between them; {@code early} holds bytes
   * the backend sent right after its 101.
   */
  static void connect(Channel downstream, Channel upstream, List<ByteBuf> early) {
    ChannelPipeline d = downstream.pipeline();
    removeIfPresent(d, ProxyHandler.class);
    removeIfPresent(d, RequestGuard.class);
    removeIfPresent(d, HttpServerExpectContinueHandler.class);
    removeIfPresent(d, HttpServerKeepAliveHandler.class);
    removeIfPresent(d, HttpServerUpgradeHandler.class);
    d.addLast("relay", new RawRelay(upstream));
    removeIfPresent(d, HttpServerCodec.class);

    ChannelPipeline u = upstream.pipeline();
    removeIfPresent(u, UpstreamHandler.class);
    removeIfPresent(u, IdleStateHandler.class);
    u.addLast("relay", new RawRelay(downstream));
    for (ByteBuf b : early) {
      downstream.write(b);
    }
    early.clear();
    downstream.flush();
    removeIfPresent(u, HttpClientCodec.class);
    downstream.config().setAutoRead(true);
    upstream.config().setAutoRead(true);
  }

  private static void removeIfPresent(
      ChannelPipeline p, Class<? extends io.netty.channel.ChannelHandler> type) {
    if (p.get(type) != null) {
      p.remove(type);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    peer.writeAndFlush(msg);
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    peer.config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
