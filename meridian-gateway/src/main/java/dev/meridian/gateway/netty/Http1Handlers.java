package dev.meridian.gateway.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.net.InetSocketAddress;

/**
 * The HTTP/1.1 part of a client pipeline, in order: codec (strict parsing, header limit) →
 * keep-alive (adds {@code Connection: close} and closes when the client asked for it) → guard →
 * {@code 100 Continue} answered here (so that the backend never waits for a client that waits for
 * it) → proxy.
 */
final class Http1Handlers {

  private Http1Handlers() {}

  static HttpServerCodec codec(ProxyContext context) {
    return new HttpServerCodec(
        new HttpDecoderConfig()
            .setMaxHeaderSize(context.options().maxHeaderBytes())
            .setMaxInitialLineLength(8192)
            .setStrictLineParsing(true));
  }

  /** Adds everything after the codec. */
  static void addAfterCodec(
      ChannelPipeline p, ProxyContext context, InetSocketAddress client, boolean tls) {
    p.addLast("keep-alive", new HttpServerKeepAliveHandler());
    p.addLast("guard", new RequestGuard(context.options().maxBodyBytes()));
    p.addLast("expect-continue", new HttpServerExpectContinueHandler());
    p.addLast("proxy", new ProxyHandler(context, client, tls));
  }
}
