package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.api.ResourceCodec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ?watch=true} over real HTTP: events, selectors, resume and expiry. */
class HubWatchTest {
  static final String CLUSTERS = HubApiTest.CLUSTERS;

  @TempDir Path dir;

  /** Streams a watch's events into a queue on a background thread. */
  static final class EventStream implements AutoCloseable {
    final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final HttpResponse<Stream<String>> response;

    EventStream(TestClient client, String query) throws Exception {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(client.base + CLUSTERS + "?watch=true" + query))
              .header("Authorization", "Bearer " + client.token)
              .build();
      response = client.http.send(req, HttpResponse.BodyHandlers.ofLines());
      Thread t =
          new Thread(
              () -> {
                try {
                  response.body().forEach(line -> events.add(parse(line)));
                } catch (RuntimeException ignored) {
                  // stream closed by the test
                }
              });
      t.setDaemon(true);
      t.start();
    }

    JsonNode next() throws InterruptedException {
      JsonNode e = events.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("an event within 10 s").isNotNull();
      return e;
    }

    static JsonNode parse(String line) {
      try {
        return ResourceCodec.JSON.readTree(line);
      } catch (Exception e) {
        throw new IllegalStateException(line, e);
      }
    }

    @Override
    public void close() {
      response.body().close();
    }
  }

  @Test
  void streamsChangesFromAResourceVersion() throws Exception {
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false))) {
      // Given
      TestClient client = TestClient.of(hub);
      client.post(CLUSTERS, HubApiTest.cluster("before", "DE"));
      String rv = client.get(CLUSTERS).json().path("metadata").path("resourceVersion").asText();
      try (EventStream watch = new EventStream(client, "&resourceVersion=" + rv)) {
        // When
        client.post(CLUSTERS, HubApiTest.cluster("eu-1", "DE"));
        client.patch(
            CLUSTERS + "/eu-1",
            "{\"metadata\":{\"labels\":{\"tier\":\"gold\"}}}",
            "application/merge-patch+json");
        client.delete(CLUSTERS + "/eu-1");
        // Then
        JsonNode added = watch.next();
        JsonNode modified = watch.next();
        JsonNode deleted = watch.next();
        assertThat(added.path("type").asText()).isEqualTo("ADDED");
        assertThat(added.path("object").path("metadata").path("name").asText()).isEqualTo("eu-1");
        assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
        assertThat(modified.path("object").path("metadata").path("labels").path("tier").asText())
            .isEqualTo("gold");
        assertThat(deleted.path("type").asText()).isEqualTo("DELETED");
        long a = added.path("object").path("metadata").path("resourceVersion").asLong();
        long m = modified.path("object").path("metadata").path("resourceVersion").asLong();
        long d = deleted.path("object").path("metadata").path("resourceVersion").asLong();
        assertThat(a).isGreaterThan(Long.parseLong(rv));
        assertThat(m).isGreaterThan(a);
        assertThat(d).isGreaterThan(m);
      }
    }
  }

  @Test
  void startsWithCurrentObjectsAndFiltersByLabel() throws Exception {
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false))) {
      // Given
      TestClient client = TestClient.of(hub);
      client.post(CLUSTERS, HubApiTest.cluster("de-1", "DE"));
      client.post(CLUSTERS, HubApiTest.cluster("us-1", "US"));
      try (EventStream watch = new EventStream(client, "&labelSelector=country%3Dde")) {
        // When
        client.post(CLUSTERS, HubApiTest.cluster("us-2", "US"));
        client.post(CLUSTERS, HubApiTest.cluster("de-2", "DE"));
        client.patch(
            CLUSTERS + "/de-2",
            "{\"metadata\":{\"labels\":{\"country\":\"fr\"}}}",
            "application/merge-patch+json");
        // Then
        JsonNode first = watch.next();
        JsonNode second = watch.next();
        JsonNode third = watch.next();
        assertThat(first.path("type").asText()).isEqualTo("ADDED");
        assertThat(first.path("object").path("metadata").path("name").asText()).isEqualTo("de-1");
        assertThat(second.path("object").path("metadata").path("name").asText()).isEqualTo("de-2");
        assertThat(third.path("type").asText())
            .as("an object leaving the selection")
            .isEqualTo("DELETED");
        assertThat(third.path("object").path("metadata").path("name").asText()).isEqualTo("de-2");
        assertThat(watch.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
      }
    }
  }

  @Test
  void answers410ForVersionsNoLongerKept() throws Exception {
    // Given: a hub restart keeps objects but not the event history before it
    Hub first = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false));
    TestClient c1 = TestClient.of(first);
    c1.post(CLUSTERS, HubApiTest.cluster("eu-1", "DE"));
    String oldRv =
        c1.get(CLUSTERS + "/eu-1").json().path("metadata").path("resourceVersion").asText();
    c1.post(CLUSTERS, HubApiTest.cluster("eu-2", "DE"));
    first.close();
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false))) {
      TestClient client = TestClient.of(hub);
      // When
      var res = client.get(CLUSTERS + "?watch=true&resourceVersion=" + (Long.parseLong(oldRv) - 1));
      var bad = client.get(CLUSTERS + "?watch=true&resourceVersion=abc");
      // Then
      assertThat(res.code()).isEqualTo(410);
      assertThat(res.reason()).isEqualTo("Expired");
      assertThat(bad.code()).isEqualTo(400);
      assertThat(client.get(CLUSTERS).json().path("items")).hasSize(2);
    }
  }

  @Test
  void endsTheStreamAfterTimeoutSeconds() throws Exception {
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false))) {
      TestClient client = TestClient.of(hub);
      HttpRequest req =
          HttpRequest.newBuilder(
                  URI.create(client.base + CLUSTERS + "?watch=true&timeoutSeconds=1"))
              .header("Authorization", "Bearer " + client.token)
              .timeout(Duration.ofSeconds(10))
              .build();
      long start = System.nanoTime();
      var res = client.http.send(req, HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(800), Duration.ofSeconds(8));
    }
  }

  @Test
  void streamsTheInitialListThenABookmarkThenTheChanges() throws Exception {
    // client-go's WatchList (kubectl wait, rollout status, informers): one watch request that
    // lists, marks the end of the list with a bookmark and goes on with the changes
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false))) {
      // Given
      TestClient client = TestClient.of(hub);
      client.post(CLUSTERS, HubApiTest.cluster("de-1", "DE"));
      client.post(CLUSTERS, HubApiTest.cluster("fr-1", "FR"));
      String query =
          "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true";
      try (EventStream watch = new EventStream(client, query)) {
        JsonNode first = watch.next();
        JsonNode second = watch.next();
        JsonNode bookmark = watch.next();
        // When
        client.post(CLUSTERS, HubApiTest.cluster("it-1", "IT"));
        JsonNode added = watch.next();
        // Then
        assertThat(first.path("type").asText()).isEqualTo("ADDED");
        assertThat(second.path("type").asText()).isEqualTo("ADDED");
        assertThat(
                Stream.of(first, second)
                    .map(e -> e.path("object").path("metadata").path("name").asText()))
            .containsExactly("de-1", "fr-1");
        assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
        JsonNode meta = bookmark.path("object").path("metadata");
        assertThat(meta.path("annotations").path("k8s.io/initial-events-end").asText())
            .isEqualTo("true");
        long listedAt = meta.path("resourceVersion").asLong();
        assertThat(listedAt)
            .isEqualTo(second.path("object").path("metadata").path("resourceVersion").asLong());
        assertThat(added.path("type").asText()).isEqualTo("ADDED");
        assertThat(added.path("object").path("metadata").path("name").asText()).isEqualTo("it-1");
        assertThat(added.path("object").path("metadata").path("resourceVersion").asLong())
            .isGreaterThan(listedAt);
      }
    }
  }

  @Test
  void refusesInitialEventsWithoutNotOlderThanAndBookmarks() throws Exception {
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0).withControllers(false))) {
      TestClient client = TestClient.of(hub);
      TestClient.Response r = client.get(CLUSTERS + "?watch=true&sendInitialEvents=true");
      assertThat(r.code()).isEqualTo(422);
      assertThat(r.json().path("details").path("causes").findValuesAsText("field"))
          .containsExactlyInAnyOrder("sendInitialEvents", "allowWatchBookmarks");
    }
  }
}
