package dev.meridian.gateway.netty;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Builds each client connection's pipeline: flush consolidation first (one syscall for the many
 * small writes of a read loop), an idle timer (so that idle keep-alive clients do not hold file
 * descriptors forever), then either TLS with SNI and ALPN (which picks HTTP/2 or HTTP/1.1 after the
 * handshake) or cleartext, where {@link Http2Handlers#cleartext} accepts HTTP/1.1, h2c by prior
 * knowledge and the {@code Upgrade: h2c} path.
 */
final class DownstreamInitializer extends ChannelInitializer<SocketChannel> {

  /**
   * A client connection that sent nothing for this long and has no request in flight is closed.
   * Idleness is measured on reads only: a timer per read burst, where watching writes too would
   * cost a promise listener and a clock read on every write.
   */
  static final int IDLE_SECONDS = 120;

  private final ProxyContext context;
  private final CertificateStore certificates;

  DownstreamInitializer(ProxyContext context, CertificateStore certificates) {
    this.context = context;
    this.certificates = certificates;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    context.metrics().downstreamConnections().incrementAndGet();
    ch.closeFuture().addListener(f -> context.metrics().downstreamConnections().decrementAndGet());
    InetSocketAddress client = ch.remoteAddress();
    ChannelPipeline p = ch.pipeline();
    p.addLast("flush", new FlushConsolidationHandler(256, true));
    p.addLast("idle", new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS));
    if (certificates != null) {
      certificates.addTls(p, context, client);
    } else {
      Http2Handlers.cleartext(p, context, client);
    }
  }
}
