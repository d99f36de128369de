package dev.meridian.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub in a child JVM takes writes from several clients and is killed with SIGKILL mid-stream;
 * after a restart every write it acknowledged is there, intact.
 */
class HubCrashTest {
  @TempDir Path dir;

  @RepeatedTest(2)
  void keepsEveryAcknowledgedWriteAcrossKill9() throws Exception {
    // Given
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashTestHubMain.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    String url = null;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("URL ")) {
        url = line.substring(4).trim();
        break;
      }
    }
    assertThat(url).as("child hub started").isNotNull();
    TestClient client = TestClient.of(url, dir.resolve("admin.token"));
    awaitServing(client);
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      int id = w;
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; !stop.get(); i++) {
                  String name = "w" + id + "-" + i;
                  String value = "value-" + name + "-" + "x".repeat(200);
                  try {
                    var r =
                        client.post(
                            "/api/v1/namespaces/default/configmaps",
                            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                                + name
                                + "\"},\"data\":{\"v\":\""
                                + value
                                + "\"}}");
                    if (r.code() == 201) {
                      acknowledged.put(name, value);
                    } else {
                      failures.add(r.toString());
                    }
                  } catch (RuntimeException e) {
                    failures.add(e.toString());
                    return; // the hub died under us: this write was not acknowledged
                  }
                }
              });
      t.start();
      writers.add(t);
    }
    // When: kill it mid-stream, once it has acknowledged a good number of writes
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Thread.sleep(500);
    while (acknowledged.size() < 200 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    child.destroyForcibly();

    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    stop.set(true);
    for (Thread t : writers) {
      t.join(10_000);
    }
    // Then
    assertThat(acknowledged)
        .as(
            "writes acknowledged before the kill; failures: %s",
            failures.stream().limit(3).toList())
        .hasSizeGreaterThan(20);
    try (Hub hub = Hub.start(HubOptions.of(dir, "127.0.0.1", 0))) {
      TestClient after = TestClient.of(hub);
      JsonNode items = after.get("/api/v1/namespaces/default/configmaps").json().path("items");
      Map<String, String> present = new ConcurrentHashMap<>();
      for (JsonNode item : items) {
        String name = item.path("metadata").path("name").asText();
        String v = item.path("data").path("v").asText();
        assertThat(v)
            .as("no half-written object")
            .isEqualTo("value-" + name + "-" + "x".repeat(200));
        present.put(name, v);
      }
      assertThat(present).containsAllEntriesOf(acknowledged);
      // and the hub keeps working after recovery
      assertThat(
              after
                  .post(
                      "/api/v1/namespaces/default/configmaps",
                      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"after\"}}")
                  .code())
          .isEqualTo(201);
    }
  }

  /** A fresh JVM on a busy machine can take a while to serve its first TLS request. */
  private static void awaitServing(TestClient client) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (client.get("/version").code() == 200) {
          return;
        }
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(100);
    }
  }
}
