package dev.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.hub.Hub;
import dev.meridian.hub.HubOptions;
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
import java.security.cert.CertificateFactory;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real hub, in-process on a free port with its data in a temporary directory, for one test class.
 * Commands run against it through {@link MeridianCommand#newCommandLine} with {@code MERIDIAN_HUB}
 * and {@code MERIDIAN_TOKEN_FILE} set, as a user would; {@link #raw} reads the hub directly to
 * check what a command did or did not change.
 */
public final class HubFixture implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private Hub hub;
  private HttpClient http;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("meridian-cli-test");
    // the API only: the CLI is tested against objects no controller changes underneath it
    hub = Hub.start(HubOptions.of(dir.resolve("hub"), "127.0.0.1", 0).withControllers(false));
    http = HttpClient.newBuilder().sslContext(trusting(hub.caFile())).build();
  }

  /** TLS trusting only the hub's own CA, as the CLI does with the ca.crt beside admin.token. */
  private static SSLContext trusting(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "hub-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (hub != null) {
      hub.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  public String url() {
    return hub.url();
  }

  public Path tokenFile() {
    return hub.tokenFile();
  }

  public Map<String, String> env() {
    return Map.of("MERIDIAN_HUB", hub.url(), "MERIDIAN_TOKEN_FILE", hub.tokenFile().toString());
  }

  public CliResult run(String... args) {
    return Cli.run(env(), args);
  }

  public CliResult runWithStdin(String stdin, String... args) {
    return Cli.runWithStdin(env(), stdin, args);
  }

  public Path caFile() {
    return hub.caFile();
  }

  /** A file under the fixture's directory holding {@code text}. */
  public Path write(String name, String text) throws IOException {
    Path file = dir.resolve("files").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** GET {@code path} on the hub as admin, bypassing the CLI: the body, or null on 404. */
  public JsonNode raw(String path) throws IOException, InterruptedException {
    String token = Files.readString(hub.tokenFile()).strip();
    HttpResponse<byte[]> resp =
        http.send(
            HttpRequest.newBuilder(URI.create(hub.url() + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() == 404) {
      return null;
    }
    if (resp.statusCode() != 200) {
      throw new IllegalStateException(
          path
              + ": HTTP "
              + resp.statusCode()
              + " "
              + new String(resp.body(), StandardCharsets.UTF_8));
    }
    return ResourceCodec.JSON.readTree(resp.body());
  }

  /** The number of objects in a collection, as the hub sees it. */
  public int count(String collectionPath) throws IOException, InterruptedException {
    JsonNode list = raw(collectionPath);
    return list == null ? 0 : list.path("items").size();
  }
}
