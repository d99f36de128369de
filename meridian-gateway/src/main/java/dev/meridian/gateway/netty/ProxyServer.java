package dev.meridian.gateway.netty;

import dev.meridian.gateway.EndpointFeedback;
import dev.meridian.gateway.GatewayOptions;
import dev.meridian.gateway.RoutingTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Internal; use {@link dev.meridian.gateway.Gateway}. Binds the proxy (and admin) listeners on one
 * event loop group that also runs every upstream connection and timer: the loop that accepted a
 * client serves it to the end.
 */
public final class ProxyServer {

  private final EventLoopGroup group;
  private final ProxyContext context;
  private final CertificateStore certificates;
  private final Channel listener;
  private final Channel admin;

  private ProxyServer(
      EventLoopGroup group,
      ProxyContext context,
      CertificateStore certificates,
      Channel listener,
      Channel admin) {
    this.group = group;
    this.context = context;
    this.certificates = certificates;
    this.listener = listener;
    this.admin = admin;
  }

  public static ProxyServer start(
      GatewayOptions options,
      RoutingTable initial,
      EndpointFeedback feedback,
      MeterRegistry registry) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(feedback, "feedback");
    Objects.requireNonNull(registry, "registry");
    CertificateStore certificates =
        options.tls() == null ? null : new CertificateStore(options.tls());
    SslContext backendSsl = backendSsl(options.backendTls(), options.upstreamHttp2());
    Transport transport = Transport.best();
    EventLoopGroup group = transport.newGroup(options.eventLoops());
    try {
      ProxyContext context =
          new ProxyContext(
              options, transport, initial, feedback, new GatewayMetrics(registry), backendSsl);
      Map<EventLoop, UpstreamPools> pools = new IdentityHashMap<>();
      for (EventExecutor e : group) {
        pools.put((EventLoop) e, new UpstreamPools(context, (EventLoop) e));
      }
      context.pools(pools);
      Channel listener =
          bind(
              new ServerBootstrap()
                  .group(group)
                  .channel(transport.serverChannel())
                  .option(ChannelOption.SO_BACKLOG, 1024)
                  .childOption(ChannelOption.TCP_NODELAY, true)
                  .childHandler(new DownstreamInitializer(context, certificates)),
              options.host(),
              options.port());
      Channel admin = null;
      if (options.adminHost() != null) {
        admin =
            bind(
                new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childHandler(
                        new ChannelInitializer<SocketChannel>() {
                          @Override
                          protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new AdminHandler(registry));
                          }
                        }),
                options.adminHost(),
                options.adminPort());
      }
      if (certificates != null) {
        certificates.startReloading(group);
      }
      return new ProxyServer(group, context, certificates, listener, admin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException("interrupted while binding", e);
    } catch (IllegalStateException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot start the gateway: " + e.getMessage(), e);
    }
  }

  /** Binds, naming the address in the failure ("cannot listen on 127.0.0.1:8080: ..."). */
  private static Channel bind(ServerBootstrap bootstrap, String host, int port)
      throws InterruptedException {
    io.netty.channel.ChannelFuture f = bootstrap.bind(host, port).await();
    if (!f.isSuccess()) {
      String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
      Throwable cause = f.cause();
      throw new IllegalStateException(
          "cannot listen on "
              + where
              + ": "
              + (cause.getMessage() == null ? cause.toString() : cause.getMessage()),
          cause);
    }
    return f.channel();
  }

  private static SslContext backendSsl(GatewayOptions.BackendTls tls, boolean h2) {
    try {
      // the backend's certificate must name the endpoint's host or IP (Netty 4.2's default too)
      SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
      if (h2) {
        b.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2));
      }
      if (tls != null && tls.clientCertificate() != null) {
        b.keyManager(
            tls.clientCertificate().certificate().toFile(),
            tls.clientCertificate().privateKey().toFile());
      }
      if (tls != null && tls.caBundle() != null) {
        b.trustManager(tls.caBundle().toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot load the backend TLS files: " + e, e);
    }
  }

  public void routingTable(RoutingTable next) {
    context.table(Objects.requireNonNull(next, "next"));
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  public InetSocketAddress adminAddress() {
    return admin == null ? null : (InetSocketAddress) admin.localAddress();
  }

  public void close() {
    if (certificates != null) {
      certificates.stop();
    }
    listener.close().syncUninterruptibly();
    if (admin != null) {
      admin.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
