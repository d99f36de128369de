package dev.meridian.gateway.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands what it reads to the attempt that holds the
 * connection, and drops what arrives while nobody does (a pooled connection should read nothing; if
 * it does, the backend broke keep-alive and the connection is closed). Closes the connection when
 * it sat idle in the pool, so that backends are not held open forever.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

  private final UpstreamConnection connection;

  UpstreamHandler(UpstreamConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamListener listener = connection.listener();
    if (listener == null) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (msg instanceof HttpResponse response) {
      listener.onResponse(response);
      if (msg instanceof FullHttpResponse full) {
        // an HTTP/2 HEADERS frame that ends the stream: its body goes on as body only, so that
        // the head is never written to the client a second time
        listener.onContent(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
      } else if (msg instanceof HttpContent content) {
        listener.onContent(content);
      }
    } else if (msg instanceof HttpContent content) {
      listener.onContent(content);
    } else if (msg instanceof ByteBuf bytes) {
      listener.onRawBytes(bytes);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    UpstreamListener listener = connection.listener();
    if (listener != null && ctx.channel().isWritable()) {
      listener.onWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    UpstreamListener listener = connection.detach();
    if (listener != null) {
      listener.onClosed(null);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    UpstreamListener listener = connection.detach();
    ctx.close();
    if (listener != null) {
      listener.onClosed(cause);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent
        && (connection.listener() == null || connection.listener() instanceof MirrorSender)) {
      ctx.close();
    }
    ReferenceCountUtil.release(evt);
  }
}
