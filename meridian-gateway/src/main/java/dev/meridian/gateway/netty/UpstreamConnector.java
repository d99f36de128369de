package dev.meridian.gateway.netty;

import dev.meridian.gateway.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Consumer;

/**
 * Opens one connection to an endpoint on a given event loop (the caller's, so that the connection
 * is served by the loop that needs it), with TLS first when the endpoint asks for it; ready only
 * after the handshake, so that a certificate problem counts as a connect failure (retried
 * elsewhere) and not as a reset.
 */
final class UpstreamConnector {

  static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /** The outcome; called on the loop. */
  interface Result {
    /** Connected (and TLS established); {@code closed} will run when it closes. */
    void ready(Channel channel);

    /**
     * Not connected.
     *
     * @param opened whether the TCP connection was made (TLS failed): its close runs {@code closed}
     */
    void failed(Throwable cause, boolean opened);
  }

  private UpstreamConnector() {}

  static void connect(
      ProxyContext context,
      EventLoop loop,
      Endpoint endpoint,
      Consumer<ChannelPipeline> handlers,
      Consumer<Channel> closed,
      Result result) {
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(context.transport().clientChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (endpoint.tls()) {
                      ch.pipeline()
                          .addLast(
                              "tls",
                              context
                                  .backendSsl()
                                  .newHandler(ch.alloc(), endpoint.host(), endpoint.port()));
                    }
                    handlers.accept(ch.pipeline());
                  }
                });
    ChannelFuture f = b.connect(endpoint.host(), endpoint.port());
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            result.failed(done.cause(), false);
            return;
          }
          Channel ch = f.channel();
          ch.closeFuture().addListener(x -> closed.accept(ch));
          SslHandler tls = ch.pipeline().get(SslHandler.class);
          if (tls == null) {
            result.ready(ch);
            return;
          }
          tls.handshakeFuture()
              .addListener(
                  hs -> {
                    if (hs.isSuccess()) {
                      result.ready(ch);
                    } else {
                      ch.close();
                      result.failed(hs.cause(), true);
                    }
                  });
        });
  }
}
