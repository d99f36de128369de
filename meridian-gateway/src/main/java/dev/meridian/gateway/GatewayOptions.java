package dev.meridian.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link Gateway} listens and what it accepts. Build with {@link #builder(String, int)};
 * {@link #listen(String, int)} takes every default.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param eventLoops the number of event loop threads (downstream, upstream and timers share them)
 * @param tls downstream TLS (SNI, ALPN h2/http1.1); null for cleartext (HTTP/1.1 and h2c)
 * @param adminHost the address of the admin listener ({@code /metrics}, {@code /healthz}), or null
 *     for none
 * @param adminPort the admin listener's port; 0 picks a free one
 * @param backendTls client certificate and CA for endpoints with {@link Endpoint#tls()}; null to
 *     trust the JDK's default CAs and present no client certificate
 * @param maxHeaderBytes the most bytes of request headers (beyond: 431)
 * @param maxBodyBytes the most bytes of a request body (beyond: 413)
 * @param accessLogSampleRate the share of requests written to the access log, 0 (off) to 1
 * @param upstreamHttp2 whether backends are spoken to in HTTP/2 (h2c by prior knowledge, or ALPN
 *     {@code h2} over TLS) instead of HTTP/1.1; every backend must then speak it
 */
public record GatewayOptions(
    String host,
    int port,
    int eventLoops,
    DownstreamTls tls,
    String adminHost,
    int adminPort,
    BackendTls backendTls,
    int maxHeaderBytes,
    long maxBodyBytes,
    double accessLogSampleRate,
    boolean upstreamHttp2) {

  public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
  public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

  public GatewayOptions {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535 || adminPort < 0 || adminPort > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be at least 1: " + eventLoops);
    }
    if (maxHeaderBytes < 1024 || maxBodyBytes < 0) {
      throw new IllegalArgumentException("limits too small");
    }
    if (!(accessLogSampleRate >= 0 && accessLogSampleRate <= 1)) {
      throw new IllegalArgumentException("accessLogSampleRate must be in 0..1");
    }
  }

  /** Cleartext on {@code host:port} with every default. */
  public static GatewayOptions listen(String host, int port) {
    return builder(host, port).build();
  }

  /**
   * Options for {@code host:port} starting from the defaults: one event loop per processor, no TLS,
   * no admin listener, 16 KiB of headers, 64 MiB of body, no access log.
   */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /** Builds {@link GatewayOptions}; every field but the listen address is optional. */
  public static final class Builder {
    private final String host;
    private final int port;
    private int eventLoops = Runtime.getRuntime().availableProcessors();
    private DownstreamTls tls;
    private String adminHost;
    private int adminPort;
    private BackendTls backendTls;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private double accessLogSampleRate;
    private boolean upstreamHttp2;

    private Builder(String host, int port) {
      this.host = host;
      this.port = port;
    }

    public Builder eventLoops(int n) {
      this.eventLoops = n;
      return this;
    }

    public Builder tls(DownstreamTls t) {
      this.tls = t;
      return this;
    }

    /** The admin listener ({@code /metrics}, {@code /healthz}); port 0 picks a free one. */
    public Builder admin(String h, int p) {
      this.adminHost = h;
      this.adminPort = p;
      return this;
    }

    public Builder backendTls(BackendTls b) {
      this.backendTls = b;
      return this;
    }

    public Builder maxHeaderBytes(int n) {
      this.maxHeaderBytes = n;
      return this;
    }

    public Builder maxBodyBytes(long n) {
      this.maxBodyBytes = n;
      return this;
    }

    public Builder accessLogSampleRate(double rate) {
      this.accessLogSampleRate = rate;
      return this;
    }

    /** Speak HTTP/2 to every backend (one multiplexed connection per event loop and endpoint). */
    public Builder upstreamHttp2(boolean on) {
      this.upstreamHttp2 = on;
      return this;
    }

    public GatewayOptions build() {
      return new GatewayOptions(
          host,
          port,
          eventLoops,
          tls,
          adminHost,
          adminPort,
          backendTls,
          maxHeaderBytes,
          maxBodyBytes,
          accessLogSampleRate,
          upstreamHttp2);
    }
  }

  /** A PEM certificate chain and its PEM (PKCS#8) private key. */
  public record CertificateFiles(Path certificate, Path privateKey) {
    public CertificateFiles {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(privateKey, "privateKey");
    }
  }

  /**
   * Downstream TLS with SNI.
   *
   * @param defaultCertificate served when the client sends no SNI name or one that matches nothing
   * @param byHostname certificates by SNI name; a key {@code *.example.com} matches one label
   * @param reloadInterval how often the files' modification times are checked; changed files are
   *     re-read and used by new handshakes
   */
  public record DownstreamTls(
      CertificateFiles defaultCertificate,
      Map<String, CertificateFiles> byHostname,
      Duration reloadInterval) {
    public DownstreamTls {
      Objects.requireNonNull(defaultCertificate, "defaultCertificate");
      byHostname = Map.copyOf(byHostname);
      reloadInterval = reloadInterval == null ? Duration.ofSeconds(5) : reloadInterval;
    }
  }

  /**
   * TLS to backends.
   *
   * @param clientCertificate presented to backends (mTLS), or null
   * @param caBundle PEM CA certificates that backend certificates must chain to, or null for the
   *     JDK's default trust store
   */
  public record BackendTls(CertificateFiles clientCertificate, Path caBundle) {}
}
