package dev.meridian.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A plain HTTP client for tests: real requests, no Meridian client code in between. */
final class TestClient {
  final HttpClient http;
  final String base;
  final String token;

  TestClient(String base, String token, Path caFile) {
    this.base = base;
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(trusting(caFile))
            .build();
  }

  static TestClient of(Hub hub) {
    return of(hub.url(), hub.tokenFile());
  }

  /** A client of the hub whose data directory holds {@code tokenFile} and {@code ca.crt}. */
  static TestClient of(String url, Path tokenFile) {
    try {
      return new TestClient(
          url, Files.readString(tokenFile).trim(), tokenFile.resolveSibling("ca.crt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Trusts only the hub's own CA, as a careful client would. */
  static SSLContext trusting(Path caFile) {
    try (var in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry(
          "meridian-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One answer.
   *
   * @param warnings the values of its {@code Warning} headers, in order, as sent
   */
  record Response(int code, String body, List<String> warnings) {
    Response(int code, String body) {
      this(code, body, List.of());
    }

    JsonNode json() {
      try {
        return ResourceCodec.JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String reason() {
      return json().path("reason").asText();
    }

    String message() {
      return json().path("message").asText();
    }

    @Override
    public String toString() {
      return code + " " + body;
    }
  }

  Response get(String path) {
    return send("GET", path, null, null);
  }

  Response post(String path, String body) {
    return send("POST", path, body, "application/json");
  }

  Response postYaml(String path, String body) {
    return send("POST", path, body, "application/yaml");
  }

  Response put(String path, String body) {
    return send("PUT", path, body, "application/json");
  }

  Response patch(String path, String body, String contentType) {
    return send("PATCH", path, body, contentType);
  }

  Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  Response send(String method, String path, String body, String contentType) {
    return sendAs(method, path, body, contentType, token);
  }

  Response sendAs(String method, String path, String body, String contentType, String bearer) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    try {
      HttpResponse<String> r =
          http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.body(), r.headers().allValues("Warning"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
