package dev.meridian.gateway.netty;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The admin listener's only handler: {@code /metrics} (Prometheus text, when the registry is a
 * Prometheus one) and {@code /healthz}. Separate from the proxy listener so that it can stay on a
 * private address; small and aggregated, since its traffic is a scrape every few seconds.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private final MeterRegistry registry;

  AdminHandler(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = request.uri();
    int q = path.indexOf('?');
    path = q < 0 ? path : path.substring(0, q);
    FullHttpResponse response;
    if (path.equals("/healthz")) {
      response = text(ctx, HttpResponseStatus.OK, "ok\n", "text/plain; charset=utf-8");
    } else if (path.equals("/metrics") && registry instanceof PrometheusMeterRegistry prometheus) {
      response =
          text(
              ctx,
              HttpResponseStatus.OK,
              prometheus.scrape(),
              "text/plain; version=0.0.4; charset=utf-8");
    } else {
      response = text(ctx, HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain");
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var f = ctx.writeAndFlush(response);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static FullHttpResponse text(
      ChannelHandlerContext ctx, HttpResponseStatus status, String body, String type) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, ByteBufUtil.writeUtf8(ctx.alloc(), body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
