package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.store.KeyValue;
import dev.meridian.store.embedded.EmbeddedStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets (member credentials among them) are encrypted on disk and clear through the API. */
class SecretsAtRestTest {
  @TempDir Path dir;

  @Test
  void storesSecretsEncryptedAndServesThemInClear() throws Exception {
    // Given
    String secret =
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"creds\"},\"stringData\":{\"token\":\"s3cr3t-value-123\"}}";
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0))) {
      TestClient client = TestClient.of(hub);
      // When
      var created = client.post("/api/v1/namespaces/default/secrets", secret);
      var read = client.get("/api/v1/namespaces/default/secrets/creds");
      var cm =
          client.post(
              "/api/v1/namespaces/default/configmaps",
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"plain\"},\"data\":{\"v\":\"visible-value\"}}");
      // Then
      assertThat(created.code()).as(created.body()).isEqualTo(201);
      assertThat(read.json().path("stringData").path("token").asText())
          .isEqualTo("s3cr3t-value-123");
      assertThat(cm.code()).isEqualTo(201);
    }
    // the raw store and every file on disk hold the secret only encrypted
    try (EmbeddedStore raw = EmbeddedStore.open(dir.resolve("store"))) {
      KeyValue kv = raw.get("/registry/core/secrets/default/creds").orElseThrow();
      assertThat(new String(kv.value(), StandardCharsets.ISO_8859_1))
          .startsWith("k8s:enc:aesgcm:v1:meridian:")
          .doesNotContain("s3cr3t");
      assertThat(
              new String(
                  raw.get("/registry/core/configmaps/default/plain").orElseThrow().value(),
                  StandardCharsets.UTF_8))
          .contains("visible-value");
    }
    try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
            .as(f.toString())
            .doesNotContain("s3cr3t-value-123");
      }
    }
    // and a hub restarted on the same directory still reads it
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0))) {
      var read = TestClient.of(hub).get("/api/v1/namespaces/default/secrets/creds");
      assertThat(read.json().path("stringData").path("token").asText())
          .isEqualTo("s3cr3t-value-123");
    }
  }
}
