package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.GatewayOptions;
import dev.meridian.gateway.GatewayOptions.CertificateFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

  @TempDir Path dir;

  private SSLContext trusting(TestCertificates certs) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", certs.ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A fresh context per handshake: the JDK would otherwise resume the session (and its cert). */
  private SSLSocket handshake(TestCertificates certs, int port, String sni) throws Exception {
    SSLContext ctx = trusting(certs);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    SSLParameters p = s.getSSLParameters();
    p.setServerNames(List.of(new SNIHostName(sni)));
    s.setSSLParameters(p);
    s.setSoTimeout(5000);
    s.startHandshake();
    return s;
  }

  private static String cn(SSLSocket s) throws Exception {
    return ((X509Certificate) s.getSession().getPeerCertificates()[0])
        .getSubjectX500Principal()
        .getName();
  }

  private static String get(SSLSocket s, String host) throws Exception {
    s.getOutputStream()
        .write(
            ("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    int n = in.read(buf);
    return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
  }

  @Test
  void picksTheCertificateBySniAndReloadsChangedFiles() throws Exception {
    // Given
    TestCertificates certs = new TestCertificates();
    CertificateFiles def = certs.leaf(dir, "default", "default", "127.0.0.1");
    CertificateFiles a = certs.leaf(dir, "a", "a.test", "a.test");
    CertificateFiles b = certs.leaf(dir, "b", "wild.b.test", "*.b.test");
    GatewayOptions options =
        GatewayOptions.builder("127.0.0.1", 0)
            .eventLoops(1)
            .tls(
                new GatewayOptions.DownstreamTls(
                    def, Map.of("a.test", a, "*.b.test", b), Duration.ofMillis(50)))
            .build();
    try (TestBackend backend = new TestBackend("be");
        GatewayFixture gw =
            new GatewayFixture(
                options, head -> TestRoutes.forward(backend), new SimpleMeterRegistry())) {
      int port = gw.gateway.address().getPort();
      // When
      SSLSocket toA = handshake(certs, port, "a.test");
      SSLSocket toB = handshake(certs, port, "x.b.test");
      SSLSocket toOther = handshake(certs, port, "other.test");
      // Then
      assertThat(cn(toA)).isEqualTo("CN=a.test");
      assertThat(cn(toB)).isEqualTo("CN=wild.b.test");
      assertThat(cn(toOther)).isEqualTo("CN=default");
      assertThat(get(toA, "a.test")).startsWith("HTTP/1.1 200 ").endsWith("be bytes=0");
      assertThat(backend.seenHeaders.poll().get("X-Forwarded-Proto")).isEqualTo("https");

      // When: a.test's files are replaced
      certs.leaf(dir, "a", "a.test v2", "a.test");
      String renewed = null;
      for (int i = 0; i < 100 && !"CN=a.test v2".equals(renewed); i++) {
        Thread.sleep(50);
        try (SSLSocket s = handshake(certs, port, "a.test")) {
          renewed = cn(s);
        }
      }
      // Then: new handshakes get the new certificate, the open connection keeps working
      assertThat(renewed).isEqualTo("CN=a.test v2");
      assertThat(get(toA, "a.test")).startsWith("HTTP/1.1 200 ");
      toA.close();
      toB.close();
      toOther.close();
    }
  }

  @Test
  void negotiatesHttp2ByAlpn() throws Exception {
    // Given
    TestCertificates certs = new TestCertificates();
    CertificateFiles def = certs.leaf(dir, "default", "default", "127.0.0.1");
    GatewayOptions options =
        GatewayOptions.builder("127.0.0.1", 0)
            .eventLoops(1)
            .tls(new GatewayOptions.DownstreamTls(def, Map.of(), null))
            .build();
    try (TestBackend backend = new TestBackend("be");
        GatewayFixture gw =
            new GatewayFixture(
                options, head -> TestRoutes.forward(backend), new SimpleMeterRegistry())) {
      HttpClient h2 =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_2)
              .sslContext(trusting(certs))
              .build();
      // When
      HttpResponse<String> r =
          h2.send(
              HttpRequest.newBuilder(
                      java.net.URI.create(
                          "https://127.0.0.1:" + gw.gateway.address().getPort() + "/"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // Then
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.body()).isEqualTo("be bytes=0");
    }
  }

  @Test
  void speaksMutualTlsToBackendsThatAskForIt() throws Exception {
    // Given: a backend that requires a client certificate from the test CA
    TestCertificates certs = new TestCertificates();
    CertificateFiles server = certs.leaf(dir, "backend", "backend", "127.0.0.1");
    CertificateFiles client = certs.leaf(dir, "client", "gateway", "gateway");
    Path ca = certs.caFile(dir);
    SslContext backendTls =
        SslContextBuilder.forServer(server.certificate().toFile(), server.privateKey().toFile())
            .trustManager(ca.toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    GatewayOptions options =
        GatewayOptions.builder("127.0.0.1", 0)
            .eventLoops(1)
            .backendTls(new GatewayOptions.BackendTls(client, ca))
            .build();
    try (TestBackend backend = new TestBackend("secure", backendTls)) {
      Endpoint tls =
          new Endpoint(
              Endpoint.idOf("secure", "127.0.0.1", backend.port()),
              "secure",
              "",
              "",
              "",
              "127.0.0.1",
              backend.port(),
              true,
              1);
      try (GatewayFixture gw =
          new GatewayFixture(
              options,
              head -> TestRoutes.forward(new TestRoutes.InOrder(List.of(tls))),
              new SimpleMeterRegistry())) {
        // When
        HttpResponse<String> r = gw.get("/");
        // Then
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("secure bytes=0");
      }
    }
  }
}
