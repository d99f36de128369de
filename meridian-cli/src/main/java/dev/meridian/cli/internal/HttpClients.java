package dev.meridian.cli.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP clients the CLI talks to hubs with: HTTP/1.1, a connect timeout, no redirects (a
 * redirect could carry the bearer token elsewhere), trusting the JVM's CAs or exactly the given
 * ones. One client per set of trusted CAs and process: each owns a selector thread and a pool.
 */
public final class HttpClients {
  private static final Map<String, HttpClient> BY_CA = new ConcurrentHashMap<>();

  private HttpClients() {}

  /** The client for {@code endpoint}: trusting its CA file if it names one, else the JVM's CAs. */
  public static HttpClient forEndpoint(HubEndpoint endpoint) {
    if (endpoint.caFile().isEmpty() || !endpoint.url().startsWith("https:")) {
      return BY_CA.computeIfAbsent("", k -> build(null));
    }
    Path file = endpoint.caFile().get();
    byte[] pem = UserFiles.read("CA file ", file);
    return BY_CA.computeIfAbsent(sha256(pem), k -> build(sslContext(file, pem)));
  }

  private static HttpClient build(SSLContext ssl) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(HubClient.CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    return ssl == null ? b.build() : b.sslContext(ssl).build();
  }

  /** A TLS context trusting exactly the certificates in {@code pem}. */
  private static SSLContext sslContext(Path file, byte[] pem) {
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
      if (certs.isEmpty()) {
        throw new CliException("CA file " + file + " holds no PEM certificate");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new CliException(
          "CA file " + file + " holds no usable PEM certificate: " + OneLine.cause(e));
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
