package dev.meridian.gateway.health;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;

/**
 * One health probe on one connection: sends {@code GET path} with {@code Connection: close} once
 * connected and completes {@link #result()} with whether the status was 2xx or 3xx. Any error, an
 * early close or {@link #fail} completes it with false.
 */
final class ProbeHandler extends ChannelInboundHandlerAdapter {

  private final String host;
  private final int port;
  private final String path;
  private final Promise<Boolean> result = ImmediateEventExecutor.INSTANCE.newPromise();

  ProbeHandler(String host, int port, String path) {
    this.host = host;
    this.port = port;
    this.path = path;
  }

  Promise<Boolean> result() {
    return result;
  }

  void fail(Channel ch) {
    result.trySuccess(false);
    ch.close();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.pipeline().addBefore(ctx.name(), null, new HttpClientCodec());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    req.headers()
        .set(
            HttpHeaderNames.HOST,
            host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set(HttpHeaderNames.USER_AGENT, "meridian-gateway-health")
        .set(HttpHeaderNames.CONTENT_LENGTH, 0);
    ctx.writeAndFlush(req)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                fail(ctx.channel());
              }
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpResponse r) {
        int code = r.status().code();
        result.trySuccess(code >= 200 && code < 400);
        ctx.close();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    result.trySuccess(false);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx.channel());
  }
}
