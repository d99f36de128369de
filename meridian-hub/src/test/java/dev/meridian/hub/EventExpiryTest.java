package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventExpiryTest {
  @TempDir Path dir;

  static String event(String name, Instant lastSeen) {
    return """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s"},"type":"Normal","reason":"Test",
         "involvedObject":{"kind":"Cluster","name":"c"},"lastTimestamp":"%s"}"""
        .formatted(name, lastSeen);
  }

  @Test
  void deletesEventsOlderThanTheTtlOnly() {
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0))) {
      // Given
      TestClient client = TestClient.of(hub);
      client.post(
          "/api/v1/namespaces/default/events",
          event("old", Instant.now().minus(Duration.ofHours(2))));
      client.post(
          "/api/v1/namespaces/default/events", event("recent", Instant.now().minusSeconds(60)));
      // When
      int expired = hub.resources().expireEvents(Duration.ofHours(1));
      // Then
      assertThat(expired).isEqualTo(1);
      assertThat(client.get("/api/v1/namespaces/default/events/old").code()).isEqualTo(404);
      assertThat(client.get("/api/v1/namespaces/default/events/recent").code()).isEqualTo(200);
    }
  }
}
