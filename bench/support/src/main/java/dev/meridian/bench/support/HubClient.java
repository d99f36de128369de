package dev.meridian.bench.support;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The hub's REST API as a user reaches it: HTTPS with the server certificate checked against the
 * hub's own CA (no trust-all), the admin bearer token on every request, HTTP/1.1 as kubectl and the
 * CLI use it. Creates, gets, merge patches, deletes and {@code ?watch=true} streams.
 */
public final class HubClient {
  public static final String CLUSTERS = "/apis/fleet.meridian.dev/v1alpha1/clusters";
  public static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String token;
  private final HttpClient http;

  public HubClient(String url, Path tokenFile, Path caFile) throws IOException {
    this.base = URI.create(url);
    this.token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trusting(caFile))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * A TLS context that trusts the certificates in {@code caFile} (PEM) and nothing else; the
   * server's name is checked by whoever uses it (the JDK's HttpClient does).
   */
  public static SSLContext trusting(Path caFile) throws IOException {
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

  /** A status code and the body as text. */
  public record Response(int code, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (" + code + "): " + body, e);
      }
    }
  }

  /** A request with a JSON body (or none, for a null body). */
  public Response send(String method, String path, String body, Duration timeout)
      throws IOException, InterruptedException {
    return send(method, path, body, "application/json", timeout);
  }

  public Response send(
      String method, String path, String body, String contentType, Duration timeout)
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

  /** POSTs an object, waiting up to 60 s; fails unless the hub answers 201 (or 200). */
  public JsonNode create(String collection, String body) throws IOException, InterruptedException {
    return create(collection, body, Duration.ofSeconds(60));
  }

  /** POSTs an object; fails unless the hub answers 201 (or 200). */
  public JsonNode create(String collection, String body, Duration timeout)
      throws IOException, InterruptedException {
    Response r = send("POST", collection, body, timeout);
    if (r.code() != 201 && r.code() != 200) {
      throw new IOException("POST " + collection + " answered " + r.code() + ": " + r.body());
    }
    return r.json();
  }

  /** A JSON merge patch; fails unless the hub answers 200. */
  public JsonNode mergePatch(String path, String patch) throws IOException, InterruptedException {
    Response r = send("PATCH", path, patch, "application/merge-patch+json", Duration.ofSeconds(30));
    if (r.code() != 200) {
      throw new IOException("PATCH " + path + " answered " + r.code() + ": " + r.body());
    }
    return r.json();
  }

  /** A DELETE; 404 counts as done. */
  public void delete(String path) throws IOException, InterruptedException {
    Response r = send("DELETE", path, null, Duration.ofSeconds(30));
    if (r.code() != 200 && r.code() != 202 && r.code() != 404) {
      throw new IOException("DELETE " + path + " answered " + r.code() + ": " + r.body());
    }
  }

  /** A GET, waiting up to 60 s; fails unless the hub answers 200. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    return get(path, Duration.ofSeconds(60));
  }

  /** A GET; fails unless the hub answers 200. */
  public JsonNode get(String path, Duration timeout) throws IOException, InterruptedException {
    Response r = send("GET", path, null, timeout);
    if (r.code() != 200) {
      throw new IOException("GET " + path + " answered " + r.code() + ": " + r.body());
    }
    return r.json();
  }

  /**
   * Streams {@code collection?watch=true} from now on (the current objects first, as ADDED), one
   * parsed event per line, to {@code onEvent} on a thread of its own. Close the result to stop.
   */
  public AutoCloseable watch(String collection, Consumer<JsonNode> onEvent)
      throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(base.resolve(collection + "?watch=true&timeoutSeconds=3600"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<Stream<String>> r = http.send(req, HttpResponse.BodyHandlers.ofLines());
    if (r.statusCode() != 200) {
      throw new IOException("watch " + collection + " answered " + r.statusCode());
    }
    AtomicBoolean closed = new AtomicBoolean();
    Stream<String> lines = r.body();
    Thread t =
        new Thread(
            () -> {
              try {
                lines.forEach(
                    l -> {
                      if (!closed.get() && !l.isBlank()) {
                        try {
                          onEvent.accept(JSON.readTree(l));
                        } catch (IOException e) {
                          System.err.println("watch " + collection + ": bad line: " + e);
                        }
                      }
                    });
              } catch (RuntimeException e) {
                if (!closed.get()) {
                  System.err.println("watch " + collection + " ended: " + e);
                }
              }
            },
            "hub-watch");
    t.setDaemon(true);
    t.start();
    return () -> {
      closed.set(true);
      lines.close();
    };
  }
}
