package dev.meridian.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link Gateway} listens and what it accepts. Start from {@link #listen(String, int)} and
 * change fields with the {@code with...} methods.
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
    double accessLogSampleRate) {

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

  /** Cleartext on {@code host:port}, one event loop per processor, no admin listener. */
  public static GatewayOptions listen(String host, int port) {
    return new GatewayOptions(
        host,
        port,
        Runtime.getRuntime().availableProcessors(),
        null,
        null,
        0,
        null,
        DEFAULT_MAX_HEADER_BYTES,
        DEFAULT_MAX_BODY_BYTES,
        0);
  }

  public GatewayOptions withEventLoops(int n) {
    return new GatewayOptions(
        host,
        port,
        n,
        tls,
        adminHost,
        adminPort,
        backendTls,
        maxHeaderBytes,
        maxBodyBytes,
        accessLogSampleRate);
  }

  public GatewayOptions withTls(DownstreamTls t) {
    return new GatewayOptions(
        host,
        port,
        eventLoops,
        t,
        adminHost,
        adminPort,
        backendTls,
        maxHeaderBytes,
        maxBodyBytes,
        accessLogSampleRate);
  }

  public GatewayOptions withAdmin(String h, int p) {
    return new GatewayOptions(
        host,
        port,
        eventLoops,
        tls,
        h,
        p,
        backendTls,
        maxHeaderBytes,
        maxBodyBytes,
        accessLogSampleRate);
  }

  public GatewayOptions withBackendTls(BackendTls b) {
    return new GatewayOptions(
        host,
        port,
        eventLoops,
        tls,
        adminHost,
        adminPort,
        b,
        maxHeaderBytes,
        maxBodyBytes,
        accessLogSampleRate);
  }

  public GatewayOptions withLimits(int headerBytes, long bodyBytes) {
    return new GatewayOptions(
        host,
        port,
        eventLoops,
        tls,
        adminHost,
        adminPort,
        backendTls,
        headerBytes,
        bodyBytes,
        accessLogSampleRate);
  }

  public GatewayOptions withAccessLogSampleRate(double rate) {
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
        rate);
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
