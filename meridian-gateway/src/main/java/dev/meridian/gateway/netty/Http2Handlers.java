package dev.meridian.gateway.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;

/**
 * HTTP/2 downstream: one {@link Http2FrameCodec} per connection, and per stream a child channel
 * whose pipeline converts frames to the same HTTP objects HTTP/1.1 produces, so that the guard and
 * the proxy logic are shared by both versions (at the price of one object conversion per frame).
 * Invalid frames are connection errors handled by the codec (GOAWAY, close): the gateway and its
 * other connections are not affected.
 */
final class Http2Handlers {

  private Http2Handlers() {}

  /** Cleartext: HTTP/1.1, or h2c by prior knowledge, or h2c by {@code Upgrade: h2c}. */
  static void cleartext(ChannelPipeline p, ProxyContext context, InetSocketAddress client) {
    HttpServerCodec codec = Http1Handlers.codec(context);
    HttpServerUpgradeHandler upgrade =
        new HttpServerUpgradeHandler(
            codec,
            protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                    ? new Http2ServerUpgradeCodec(
                        frameCodec(context),
                        new Http2MultiplexHandler(streams(context, client, false)))
                    : null,
            64 * 1024) {
          @Override
          protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
            // only h2c is upgraded here; a WebSocket upgrade passes through to the proxy
            return req.headers().containsValue(HttpHeaderNames.UPGRADE, "h2c", true);
          }
        };
    p.addLast(
        "h2c",
        new CleartextHttp2ServerUpgradeHandler(codec, upgrade, new Setup(context, client, false)));
    Http1Handlers.addAfterCodec(p, context, client, false);
  }

  /** After ALPN chose {@code h2}. */
  static void tls(ChannelPipeline p, ProxyContext context, InetSocketAddress client) {
    p.addLast("h2-codec", frameCodec(context));
    p.addLast("h2-multiplex", new Http2MultiplexHandler(streams(context, client, true)));
  }

  private static Http2FrameCodec frameCodec(ProxyContext context) {
    return Http2FrameCodecBuilder.forServer()
        .initialSettings(
            Http2Settings.defaultSettings()
                .maxHeaderListSize(context.options().maxHeaderBytes())
                .maxConcurrentStreams(1000))
        .validateHeaders(true)
        .build();
  }

  private static ChannelHandler streams(
      ProxyContext context, InetSocketAddress client, boolean tls) {
    return new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel ch) {
        ch.pipeline()
            .addLast("h2-to-http", new Http2StreamFrameToHttpObjectCodec(true))
            .addLast("guard", new RequestGuard(context.options().maxBodyBytes()))
            .addLast("proxy", new ProxyHandler(context, client, tls));
      }
    };
  }

  /**
   * Installs the HTTP/2 handlers where the prior-knowledge detector stood (not at the end of the
   * pipeline, where the HTTP/1.1 handlers are).
   */
  private static final class Setup extends ChannelHandlerAdapter {
    private final ProxyContext context;
    private final InetSocketAddress client;
    private final boolean tls;

    Setup(ProxyContext context, InetSocketAddress client, boolean tls) {
      this.context = context;
      this.client = client;
      this.tls = tls;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ChannelPipeline p = ctx.pipeline();
      p.addAfter(ctx.name(), "h2-codec", frameCodec(context));
      p.addAfter(
          "h2-codec", "h2-multiplex", new Http2MultiplexHandler(streams(context, client, tls)));
      p.remove(this);
    }
  }
}
