package dev.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The hub's REST API over HTTPS, the server certificate checked against the hub's own CA (no
 * trust-all), the admin bearer token on every request. HTTP/1.1, as kubectl and the CLI use it.
 */
final class FleetApi {
  static final String CLUSTERS = "/apis/fleet.meridian.dev/v1alpha1/clusters";
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String token;
  private final HttpClient http;

  FleetApi(String url, Path tokenFile, Path caFile) throws IOException {
    this.base = URI.create(url);
    this.token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trusting(caFile))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  private static SSLContext trusting(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("hub-ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + caFile + ": " + e, e);
    }
  }

  record Response(int code, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (" + code + "): " + body, e);
      }
    }
  }

  Response send(String method, String path, String body, Duration timeout)
      throws IOException, InterruptedException {
    return send(method, path, body, "application/json", timeout);
  }

  Response send(String method, String path, String body, String contentType, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", contentType);
      b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /** POSTs a Cluster; fails unless the hub answers 201 (or 200). */
  JsonNode createCluster(String body, Duration timeout) throws IOException, InterruptedException {
    Response r = send("POST", CLUSTERS, body, timeout);
    if (r.code() != 201 && r.code() != 200) {
      throw new IOException("POST " + CLUSTERS + " answered " + r.code() + ": " + r.body());
    }
    return r.json();
  }

  /** GET of the cluster list. */
  JsonNode listClusters() throws IOException, InterruptedException {
    Response r = send("GET", CLUSTERS, null, Duration.ofSeconds(30));
    if (r.code() != 200) {
      throw new IOException("GET " + CLUSTERS + " answered " + r.code() + ": " + r.body());
    }
    return r.json();
  }
}
