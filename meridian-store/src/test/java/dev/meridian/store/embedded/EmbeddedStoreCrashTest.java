package dev.meridian.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.store.KeyValue;
import dev.meridian.store.ListResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at an arbitrary moment, three times over on the same
 * directory, and checks that every acknowledged write survived and nothing half-written appeared.
 */
class EmbeddedStoreCrashTest {
  private static final int ROUNDS = 3;
  private static final int WRITER_THREADS = 8;
  private static final long WRITE_MILLIS = 1500;

  @TempDir Path root;

  @Test
  void everyAcknowledgedWriteSurvivesAKill() throws Exception {
    Path dir = root.resolve("store");
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      // Given
      Process child = startWriter(dir, "r" + round);
      CountDownLatch firstAck = new CountDownLatch(1);
      Thread reader = readAcks(child, acknowledged, firstAck);
      assertThat(firstAck.await(60, TimeUnit.SECONDS))
          .as("child acknowledged a write; its stderr:%n%s", stderr(round))
          .isTrue();

      // When
      Thread.sleep(WRITE_MILLIS);
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(30));

      // Then
      try (EmbeddedStore store = EmbeddedStore.open(dir)) {
        ListResult all = store.list("crash/");
        acknowledged.forEach(
            (key, revision) -> {
              KeyValue kv = store.get(key).orElseThrow(() -> new AssertionError("lost " + key));
              assertThat(kv.modRevision()).as(key).isEqualTo(revision);
              assertThat(kv.value()).as(key).isEqualTo(CrashWriter.valueFor(key));
            });
        assertThat(all.items())
            .allSatisfy(
                kv -> {
                  assertThat(kv.value()).as(kv.key()).isEqualTo(CrashWriter.valueFor(kv.key()));
                  assertThat(kv.version()).isEqualTo(1);
                });
        // only creations: the revisions present are exactly 1..current, with no gap
        assertThat(all.items().stream().mapToLong(KeyValue::modRevision).sorted())
            .containsExactlyElementsOf(
                LongStream.rangeClosed(1, store.currentRevision()).boxed().toList());
        assertThat(all.revision()).isEqualTo(store.currentRevision());
      }
    }
    assertThat(acknowledged).hasSizeGreaterThan(ROUNDS * 100);
  }

  private Process startWriter(Path dir, String round) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriter.class.getName(),
            dir.toString(),
            round,
            String.valueOf(WRITER_THREADS))
        .redirectError(root.resolve(round + ".stderr").toFile())
        .start();
  }

  private String stderr(int round) throws IOException {
    Path file = root.resolve("r" + round + ".stderr");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /**
   * Records complete acknowledgement lines; a line cut by the kill lacks its END and is skipped.
   */
  private static Thread readAcks(
      Process child, Map<String, Long> acknowledged, CountDownLatch firstAck) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  String[] parts = line.split(" ");
                  if (parts.length == 4 && parts[0].equals("ACK") && parts[3].equals("END")) {
                    acknowledged.put(parts[1], Long.parseLong(parts[2]));
                    firstAck.countDown();
                  }
                }
              } catch (IOException e) {
                // the pipe closes when the child dies
              }
            },
            "crash-writer-acks");
    reader.start();
    return reader;
  }
}
