package dev.meridian.gateway.netty;

import dev.meridian.gateway.GatewayOptions.CertificateFiles;
import dev.meridian.gateway.GatewayOptions.DownstreamTls;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downstream certificates by SNI name (exact names and {@code *.} wildcards, with a default), and
 * their hot reload: the files' modification times are checked every few seconds and, when one
 * changed, every context is rebuilt and swapped in at once. New handshakes use the new
 * certificates; established connections keep theirs. A file that fails to load keeps the previous
 * certificates (and is logged), so a half-written file never takes TLS down.
 */
final class CertificateStore implements Mapping<String, SslContext> {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

  private final DownstreamTls config;
  private volatile Mapping<String, SslContext> mapping;
  private volatile List<Long> stamps;
  private ScheduledFuture<?> reloader;

  CertificateStore(DownstreamTls config) {
    this.config = config;
    this.stamps = stamps();
    this.mapping = build();
  }

  void startReloading(EventExecutorGroup group) {
    long every = Math.max(10, config.reloadInterval().toMillis());
    reloader =
        group.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
  }

  void stop() {
    if (reloader != null) {
      reloader.cancel(false);
    }
  }

  @Override
  public SslContext map(String hostname) {
    return mapping.map(hostname);
  }

  void reloadIfChanged() {
    List<Long> now = stamps();
    if (now.equals(stamps)) {
      return;
    }
    try {
      Mapping<String, SslContext> next = build();
      mapping = next;
      stamps = now;
      LOG.info("reloaded downstream TLS certificates");
    } catch (RuntimeException e) {
      LOG.warn("keeping the previous TLS certificates: {}", e.toString());
    }
  }

  /** Adds SNI-driven TLS, then ALPN's choice of HTTP/2 or HTTP/1.1. */
  void addTls(ChannelPipeline p, ProxyContext context, InetSocketAddress client) {
    p.addLast("sni", new SniHandler(this, 10_000L)); // a client that sends no ClientHello goes
    p.addLast(
        "alpn",
        new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
          @Override
          protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ChannelPipeline pipeline = ctx.pipeline();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
              Http2Handlers.tls(pipeline, context, client);
            } else {
              pipeline.addLast("http-codec", Http1Handlers.codec(context));
              Http1Handlers.addAfterCodec(pipeline, context, client, true);
            }
          }
        });
  }

  private Mapping<String, SslContext> build() {
    DomainWildcardMappingBuilder<SslContext> b =
        new DomainWildcardMappingBuilder<>(context(config.defaultCertificate()));
    for (Map.Entry<String, CertificateFiles> e : config.byHostname().entrySet()) {
      b.add(e.getKey(), context(e.getValue()));
    }
    return b.build();
  }

  private static SslContext context(CertificateFiles files) {
    try {
      return SslContextBuilder.forServer(files.certificate().toFile(), files.privateKey().toFile())
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(
              new ApplicationProtocolConfig(
                  ApplicationProtocolConfig.Protocol.ALPN,
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                  ApplicationProtocolNames.HTTP_2,
                  ApplicationProtocolNames.HTTP_1_1))
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot load " + files.certificate() + ": " + e, e);
    }
  }

  private List<Long> stamps() {
    List<Long> out = new ArrayList<>();
    addStamps(out, config.defaultCertificate());
    config.byHostname().values().forEach(f -> addStamps(out, f));
    return out;
  }

  private static void addStamps(List<Long> out, CertificateFiles f) {
    out.add(modified(f.certificate()));
    out.add(modified(f.privateKey()));
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis() ^ Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }
}
