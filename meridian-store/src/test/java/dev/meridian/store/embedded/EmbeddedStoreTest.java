package dev.meridian.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.store.CompactedException;
import dev.meridian.store.ConcurrentWriters;
import dev.meridian.store.KeyValue;
import dev.meridian.store.Lease;
import dev.meridian.store.ListResult;
import dev.meridian.store.Precondition;
import dev.meridian.store.RecordingListener;
import dev.meridian.store.Store;
import dev.meridian.store.StoreContractTest;
import dev.meridian.store.StoreException;
import dev.meridian.store.Watch;
import dev.meridian.store.WatchEvent;
import dev.meridian.store.WatchListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreTest extends StoreContractTest {
  @TempDir Path root;

  private Path contractDir() {
    return root.resolve("contract");
  }

  @Override
  protected Store newStore() {
    return EmbeddedStore.open(contractDir());
  }

  @Override
  protected Store reopen(Store store) {
    store.close();
    return EmbeddedStore.open(contractDir());
  }

  @Override
  protected Store discardHistory(Store store) {
    return reopen(store);
  }

  // ---- restart

  @Test
  void historyStartsAfterTheRecoveredRevision() {
    // Given
    putAll(3);

    // When
    store = reopen(store);

    // Then
    assertThat(store.compactRevision()).isEqualTo(4);
    assertThat(catchThrowableOfType(CompactedException.class, () -> watchFrom(3)))
        .satisfies(e -> assertThat(e.compactRevision()).isEqualTo(4));
    RecordingListener listener = watchFrom(4);
    put("k/next", "v");
    assertThat(listener.awaitEvents(1)).extracting(WatchEvent::revision).containsExactly(4L);
  }

  @Test
  void aLeaseGetsAFreshTtlAfterARestartAndThenExpires() throws InterruptedException {
    // Given
    Lease lease = store.grantLease(Duration.ofMillis(500));
    put("l/k", "v", lease.id());
    store.close();
    Thread.sleep(700); // longer than the TTL, while the store is down

    // When
    store = EmbeddedStore.open(contractDir());

    // Then
    assertThat(store.get("l/k")).isPresent();
    eventually(() -> assertThat(store.get("l/k")).isEmpty());
  }

  @Test
  void leaseIdsAreNotReusedAfterARestart() {
    // Given
    Lease revoked = store.grantLease(TTL);
    store.revokeLease(revoked.id());

    // When
    store = reopen(store);
    Lease next = store.grantLease(TTL);

    // Then
    assertThat(next.id()).isGreaterThan(revoked.id());
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    // Given: the contract store holds the directory

    // When / Then
    assertThatThrownBy(() -> EmbeddedStore.open(contractDir()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("in use");
  }

  // ---- torn and damaged logs

  @Test
  void garbageAfterTheLastRecordIsCutOffAndLaterWritesSurvive() throws IOException {
    // Given
    putAll(5);
    store.close();
    Path segment = lastSegment(contractDir());
    long intact = Files.size(segment);
    Files.write(segment, new byte[] {0, 0, 1, 7, 42, 42, 42}, StandardOpenOption.APPEND);

    // When
    store = EmbeddedStore.open(contractDir());

    // Then
    assertThat(Files.size(segment)).isEqualTo(intact);
    assertThat(store.currentRevision()).isEqualTo(5);
    assertThat(put("k/after", "v").modRevision()).isEqualTo(6);
    store = reopen(store);
    assertThat(store.list("k/").items()).hasSize(6);
  }

  @Test
  void aRecordCutMidwayIsDropped() throws IOException {
    // Given
    putAll(5);
    store.close();
    truncateBy(lastSegment(contractDir()), 3);

    // When
    store = EmbeddedStore.open(contractDir());

    // Then
    assertThat(store.currentRevision()).isEqualTo(4);
    assertThat(store.get("k/5")).isEmpty();
    assertThat(store.get("k/4")).isPresent();
    assertThat(put("k/again", "v").modRevision()).isEqualTo(5);
  }

  @Test
  void aRecordWithABadChecksumIsDropped() throws IOException {
    // Given
    putAll(5);
    store.close();
    Path segment = lastSegment(contractDir());
    byte[] data = Files.readAllBytes(segment);
    data[data.length - 1] ^= 0x01;
    Files.write(segment, data);

    // When
    store = EmbeddedStore.open(contractDir());

    // Then
    assertThat(store.currentRevision()).isEqualTo(4);
    assertThat(store.get("k/5")).isEmpty();
  }

  @Test
  void aZeroFilledTailIsIgnored() throws IOException {
    // Given
    putAll(5);
    store.close();
    Files.write(lastSegment(contractDir()), new byte[4096], StandardOpenOption.APPEND);

    // When
    store = EmbeddedStore.open(contractDir());

    // Then
    assertThat(store.currentRevision()).isEqualTo(5);
  }

  @Test
  void damageBeforeTheLastSegmentFailsTheOpen() throws IOException {
    // Given: acknowledged writes follow the damage, so cutting it off would lose them
    putAll(5);
    store.close();
    truncateBy(lastSegment(contractDir()), 3);
    Files.createFile(contractDir().resolve(String.format("wal-%020d.log", 2)));

    // When / Then
    assertThatThrownBy(() -> EmbeddedStore.open(contractDir()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("newer segments");
  }

  // ---- snapshots

  @Test
  void aSnapshotAndTheLogAfterItRoundTrip() throws IOException {
    // Given: enough writes for several snapshots, then more writes left in the log
    Path dir = root.resolve("snap");
    EmbeddedStore.Options options = smallSnapshots(4096);
    ListResult before;
    Lease lease;
    try (EmbeddedStore snap = EmbeddedStore.open(dir, options)) {
      lease = snap.grantLease(Duration.ofMinutes(1));
      for (int i = 0; i < 60; i++) {
        snap.put("s/" + i, payload(i, 200), Precondition.NONE, i % 10 == 0 ? lease.id() : 0);
      }
      eventually(() -> assertThat(segments(dir)).hasSize(1));
      for (int i = 0; i < 10; i += 3) {
        snap.delete("s/" + i, Precondition.NONE);
      }
      snap.put("s/late", payload(99, 10), Precondition.NONE, lease.id());
      before = snap.list("");
    }

    // When
    try (EmbeddedStore reopened = EmbeddedStore.open(dir, options)) {

      // Then
      assertThat(Files.exists(dir.resolve("snapshot"))).isTrue();
      assertThat(Files.exists(dir.resolve(String.format("wal-%020d.log", 1)))).isFalse();
      assertSameState(reopened.list(""), before);
      assertThat(reopened.list("").items())
          .filteredOn(kv -> kv.lease() != 0)
          .extracting(KeyValue::key)
          .contains("s/late", "s/10");
      reopened.revokeLease(lease.id());
      assertThat(reopened.get("s/late")).isEmpty();
      assertThat(reopened.get("s/10")).isEmpty();
    }
  }

  @Test
  void aSnapshotDuringConcurrentWritesLosesNothing() throws Exception {
    // Given
    Path dir = root.resolve("busy");
    EmbeddedStore.Options options = smallSnapshots(8192);
    Map<String, KeyValue> acknowledged = new ConcurrentHashMap<>();
    int threads = 8;
    int writesPerThread = 150;

    // When
    try (EmbeddedStore busy = EmbeddedStore.open(dir, options);
        ConcurrentWriters writers =
            ConcurrentWriters.start(
                threads,
                writesPerThread,
                (thread, i) -> {
                  String key = "b/" + thread + "/" + i;
                  acknowledged.put(key, busy.put(key, payload(i, 300), Precondition.NONE, 0));
                })) {
      writers.await();
    }

    // Then
    try (EmbeddedStore reopened = EmbeddedStore.open(dir, options)) {
      assertThat(Files.exists(dir.resolve("snapshot"))).isTrue();
      assertThat(reopened.currentRevision()).isEqualTo(threads * writesPerThread);
      assertThat(reopened.list("b/").items()).hasSize(threads * writesPerThread);
      acknowledged.forEach((key, kv) -> assertSame(reopened.get(key).orElseThrow(), kv));
    }
  }

  @Test
  void segmentsAndTempFilesLeftByACrashedSnapshotAreIgnored() throws IOException {
    // Given: a finished snapshot, plus what a crash mid-snapshot leaves behind
    Path dir = root.resolve("leftovers");
    EmbeddedStore.Options options = smallSnapshots(2048);
    try (EmbeddedStore snap = EmbeddedStore.open(dir, options)) {
      for (int i = 0; i < 20; i++) {
        snap.put("s/" + i, payload(i, 200), Precondition.NONE, 0);
      }
      eventually(() -> assertThat(segments(dir)).hasSize(1));
    }
    Files.write(dir.resolve("snapshot.tmp"), new byte[] {1, 2, 3});
    Files.write(dir.resolve(String.format("wal-%020d.log", 1)), new byte[] {9, 9, 9});

    // When
    try (EmbeddedStore reopened = EmbeddedStore.open(dir, options)) {

      // Then
      assertThat(reopened.currentRevision()).isEqualTo(20);
      assertThat(Files.exists(dir.resolve("snapshot.tmp"))).isFalse();
      assertThat(Files.exists(dir.resolve(String.format("wal-%020d.log", 1)))).isFalse();
    }
  }

  // ---- watch limits

  @Test
  void aListenerMayAskToFallFurtherBehind() throws Exception {
    // Given: a default of 16 events behind, and a listener that asks for 200
    Path dir = root.resolve("patient");
    EmbeddedStore.Options options = EmbeddedStore.Options.defaults().withWatchQueueCapacity(16);
    CountDownLatch release = new CountDownLatch(1);
    List<WatchEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<StoreException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    WatchListener patient =
        new WatchListener() {
          @Override
          public void onEvent(WatchEvent event) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            seen.add(event);
          }

          @Override
          public void onError(StoreException error) {
            errors.add(error);
          }

          @Override
          public int maxBacklog() {
            return 200;
          }
        };
    try (EmbeddedStore store = EmbeddedStore.open(dir, options)) {
      store.watch("", 0, patient);
      // When: 100 writes while it is stuck
      for (int i = 0; i < 100; i++) {
        store.put("k/" + i, payload(i, 10), Precondition.NONE, 0);
      }
      release.countDown();
      // Then: it gets them all, late
      eventually(() -> assertThat(seen).hasSize(100));
      assertThat(errors).isEmpty();
    }
  }

  @Test
  void aSlowWatcherIsDroppedWithoutBlockingWriters() throws Exception {
    // Given
    Path dir = root.resolve("slow");
    EmbeddedStore.Options options = EmbeddedStore.Options.defaults().withWatchQueueCapacity(16);
    CountDownLatch release = new CountDownLatch(1);
    List<StoreException> errors = new ArrayList<>();
    WatchListener stuck =
        new WatchListener() {
          @Override
          public void onEvent(WatchEvent event) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public synchronized void onError(StoreException error) {
            errors.add(error);
          }
        };
    RecordingListener healthy = new RecordingListener();

    try (EmbeddedStore slow = EmbeddedStore.open(dir, options)) {
      slow.watch("", 0, stuck);
      slow.watch("", 0, healthy);

      // When
      ExecutorService writer = Executors.newSingleThreadExecutor();
      Future<?> writes =
          writer.submit(
              () -> {
                for (int i = 0; i < 100; i++) {
                  slow.put("k/" + i, payload(i, 10), Precondition.NONE, 0);
                  // pace the writes to the healthy watcher, so only the stuck one falls behind
                  // (on a loaded machine both would otherwise overflow the small queue)
                  healthy.awaitEvents(i + 1);
                }
              });
      writes.get(20, TimeUnit.SECONDS);
      writer.shutdown();
      release.countDown();

      // Then
      assertThat(healthy.awaitEvents(100)).hasSize(100);
      eventually(
          () -> {
            synchronized (stuck) {
              assertThat(errors).singleElement().asString().contains("behind");
            }
          });
    }
  }

  @Test
  void historyKeepsOnlyTheLastEvents() {
    // Given
    Path dir = root.resolve("history");
    try (EmbeddedStore small =
        EmbeddedStore.open(dir, EmbeddedStore.Options.defaults().withHistoryEvents(10))) {
      for (int i = 1; i <= 25; i++) {
        small.put("h/" + i, payload(i, 10), Precondition.NONE, 0);
      }

      // When
      CompactedException tooOld =
          catchThrowableOfType(
              CompactedException.class, () -> small.watch("h/", 15, new RecordingListener()));
      RecordingListener replay = new RecordingListener();
      try (Watch ignored = small.watch("h/", 16, replay)) {

        // Then
        assertThat(small.compactRevision()).isEqualTo(16);
        assertThat(tooOld.compactRevision()).isEqualTo(16);
        assertThat(replay.awaitEvents(10))
            .extracting(WatchEvent::revision)
            .containsExactlyElementsOf(LongStream.rangeClosed(16, 25).boxed().toList());
      }
    }
  }

  @Test
  void historyKeepsNoMoreBytesThanAllowed() {
    // Given: room for four events of ~1 KiB values (each also counts its key and 64 bytes)
    Path dir = root.resolve("history-bytes");
    try (EmbeddedStore small =
        EmbeddedStore.open(dir, EmbeddedStore.Options.defaults().withHistoryBytes(5_000))) {
      for (int i = 1; i <= 25; i++) {
        small.put("h/" + (i % 10), payload(i, 1000), Precondition.NONE, 0);
      }

      // When
      RecordingListener replay = new RecordingListener();
      try (Watch ignored = small.watch("h/", small.compactRevision(), replay)) {

        // Then: only the last four can be replayed; older starts are compacted away
        assertThat(small.compactRevision()).isEqualTo(22);
        assertThat(replay.awaitEvents(4))
            .extracting(WatchEvent::revision)
            .containsExactly(22L, 23L, 24L, 25L);
        assertThat(
                catchThrowableOfType(
                    CompactedException.class, () -> small.watch("h/", 21, new RecordingListener())))
            .isNotNull();
      }
    }
  }

  // ---- helpers

  private void putAll(int count) {
    for (int i = 1; i <= count; i++) {
      put("k/" + i, "value-" + i);
    }
  }

  private RecordingListener watchFrom(long revision) {
    RecordingListener listener = new RecordingListener();
    store.watch("", revision, listener);
    return listener;
  }

  private static EmbeddedStore.Options smallSnapshots(long thresholdBytes) {
    return EmbeddedStore.Options.defaults().withSnapshotThresholdBytes(thresholdBytes);
  }

  private static byte[] payload(int seed, int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + (seed + i) % 26);
    }
    return bytes;
  }

  private static void assertSameState(ListResult actual, ListResult expected) {
    assertThat(actual.revision()).isEqualTo(expected.revision());
    assertThat(actual.items()).hasSameSizeAs(expected.items());
    for (int i = 0; i < expected.items().size(); i++) {
      assertSame(actual.items().get(i), expected.items().get(i));
    }
  }

  private static List<Path> segments(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("wal-")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path lastSegment(Path dir) {
    List<Path> all = segments(dir);
    return all.get(all.size() - 1);
  }

  private static void truncateBy(Path file, long bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - bytes);
    }
  }
}
