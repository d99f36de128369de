package dev.meridian.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} backend must show. A backend's test extends this class and
 * provides {@link #newStore()}; the optional hooks enable the durability and compaction tests.
 *
 * <p>Revisions are asserted relative to the revision at the start of each test, so a backend may
 * share one server between tests as long as each store sees only its own keys.
 */
public abstract class StoreContractTest {
  /** Lease TTL for the tests: long enough to outlive a slow fsync, short enough to wait out. */
  protected static final Duration TTL = Duration.ofMillis(300);

  protected Store store;
  protected long base;

  /** A new store with no keys. */
  protected abstract Store newStore();

  /**
   * Closes {@code store} and returns a new store on the same data; backends that cannot reopen keep
   * this default and their durability tests are skipped.
   */
  protected Store reopen(Store store) {
    Assumptions.abort("this backend cannot reopen its data");
    return store;
  }

  /**
   * Returns a store on the same data whose watch history no longer reaches its current revision
   * (the embedded store reopens; an etcd backend compacts); the compaction test is skipped without.
   */
  protected Store discardHistory(Store store) {
    Assumptions.abort("this backend cannot discard its watch history");
    return store;
  }

  @BeforeEach
  void openStore() {
    store = newStore();
    base = store.currentRevision();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // ---- revisions, get, list

  @Test
  void eachWriteIncreasesTheRevisionByOne() {
    // Given / When
    long first = put("r/a", "1").modRevision();
    long second = put("r/b", "1").modRevision();
    long third = put("r/a", "2").modRevision();
    store.delete("r/b", Precondition.NONE);

    // Then
    assertThat(List.of(first, second, third)).containsExactly(base + 1, base + 2, base + 3);
    assertThat(store.currentRevision()).isEqualTo(base + 4);
  }

  @Test
  void putTracksCreationRevisionAndVersion() {
    // Given
    KeyValue created = put("v/k", "1");

    // When
    KeyValue updated = put("v/k", "2");
    store.delete("v/k", Precondition.NONE);
    KeyValue recreated = put("v/k", "3");

    // Then
    assertThat(created.createRevision()).isEqualTo(created.modRevision()).isEqualTo(base + 1);
    assertThat(created.version()).isEqualTo(1);
    assertThat(updated.createRevision()).isEqualTo(base + 1);
    assertThat(updated.modRevision()).isEqualTo(base + 2);
    assertThat(updated.version()).isEqualTo(2);
    assertThat(recreated.createRevision()).isEqualTo(base + 4);
    assertThat(recreated.version()).isEqualTo(1);
  }

  @Test
  void getReturnsTheLatestValueOrNothing() {
    // Given
    put("g/k", "old");
    KeyValue latest = put("g/k", "new");

    // When
    Optional<KeyValue> found = store.get("g/k");
    Optional<KeyValue> missing = store.get("g/other");

    // Then
    assertThat(found).hasValueSatisfying(kv -> assertSame(kv, latest));
    assertThat(text(found.get())).isEqualTo("new");
    assertThat(missing).isEmpty();
  }

  @Test
  void theStoredValueDoesNotChangeWhenTheCallerReusesItsArray() {
    // Given
    byte[] buffer = "original".getBytes(UTF_8);
    store.put("c/k", buffer, Precondition.NONE, 0);

    // When
    buffer[0] = 'X';

    // Then
    assertThat(text(store.get("c/k").orElseThrow())).isEqualTo("original");
  }

  @Test
  void listReturnsOnlyKeysUnderThePrefixInKeyOrder() {
    // Given
    for (String key : List.of("b/2", "a/1", "b/1", "b/10", "ba", "c")) {
      put(key, key);
    }

    // When
    ListResult result = store.list("b/");

    // Then
    assertThat(result.items()).extracting(KeyValue::key).containsExactly("b/1", "b/10", "b/2");
    assertThat(result.items()).allSatisfy(kv -> assertThat(text(kv)).isEqualTo(kv.key()));
    assertThat(result.revision()).isEqualTo(store.currentRevision());
  }

  @Test
  void listShowsExactlyTheWritesUpToItsRevisionWhileWritesRace() throws Exception {
    // Given: one writer creating new keys, so revision R holds exactly the first R - base keys
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Future<?> writes =
        writer.submit(
            () -> {
              for (int i = 0; i < 500; i++) {
                put(String.format("race/%05d", i), "v");
              }
              writing.set(false);
            });
    List<ListResult> inconsistent = new ArrayList<>();
    int lists = 0;

    // When
    try {
      while (writing.get()) {
        ListResult result = store.list("race/");
        lists++;
        boolean consistent =
            result.items().size() == result.revision() - base
                && result.items().stream().allMatch(kv -> kv.modRevision() <= result.revision());
        if (!consistent) {
          inconsistent.add(result);
        }
        Thread.yield(); // leave the writer its share of a busy machine
      }
      writes.get(30, TimeUnit.SECONDS);
    } finally {
      writer.shutdownNow();
    }

    // Then
    assertThat(lists).isPositive();
    assertThat(inconsistent).isEmpty();
  }

  // ---- compare-and-swap

  @Test
  void absentCreatesOnlyAMissingKey() {
    // Given
    KeyValue created = store.put("cas/k", bytes("1"), Precondition.ABSENT, 0);

    // When
    PreconditionFailedException failure =
        catchThrowableOfType(
            PreconditionFailedException.class,
            () -> store.put("cas/k", bytes("2"), Precondition.ABSENT, 0));

    // Then
    assertThat(created.modRevision()).isEqualTo(base + 1);
    assertThat(failure.current()).hasValueSatisfying(kv -> assertSame(kv, created));
    assertNothingWrittenSince(created);
  }

  @Test
  void presentUpdatesOnlyAnExistingKey() {
    // Given / When
    PreconditionFailedException failure =
        catchThrowableOfType(
            PreconditionFailedException.class,
            () -> store.put("cas/k", bytes("1"), Precondition.PRESENT, 0));

    // Then
    assertThat(failure.current()).isEmpty();
    assertThat(store.get("cas/k")).isEmpty();
    assertThat(store.currentRevision()).isEqualTo(base);

    // Given
    put("cas/k", "1");

    // When
    KeyValue updated = store.put("cas/k", bytes("2"), Precondition.PRESENT, 0);

    // Then
    assertThat(updated.modRevision()).isEqualTo(base + 2);
    assertThat(text(store.get("cas/k").orElseThrow())).isEqualTo("2");
  }

  @Test
  void modRevisionUpdatesOnlyAKeyUnchangedSinceThatRevision() {
    // Given
    KeyValue first = put("cas/k", "1");
    KeyValue second =
        store.put("cas/k", bytes("2"), Precondition.modRevision(first.modRevision()), 0);

    // When
    PreconditionFailedException stale =
        catchThrowableOfType(
            PreconditionFailedException.class,
            () -> store.put("cas/k", bytes("3"), Precondition.modRevision(first.modRevision()), 0));
    PreconditionFailedException missing =
        catchThrowableOfType(
            PreconditionFailedException.class,
            () ->
                store.put(
                    "cas/other", bytes("3"), Precondition.modRevision(first.modRevision()), 0));

    // Then
    assertThat(second.modRevision()).isEqualTo(base + 2);
    assertThat(stale.current()).hasValueSatisfying(kv -> assertSame(kv, second));
    assertThat(missing.current()).isEmpty();
    assertThat(store.get("cas/other")).isEmpty();
    assertNothingWrittenSince(second);
  }

  @Test
  void noneWritesWhetherOrNotTheKeyExists() {
    // Given / When
    KeyValue created = store.put("cas/k", bytes("1"), Precondition.NONE, 0);
    KeyValue replaced = store.put("cas/k", bytes("2"), Precondition.NONE, 0);

    // Then
    assertThat(created.version()).isEqualTo(1);
    assertThat(replaced.version()).isEqualTo(2);
    assertThat(text(store.get("cas/k").orElseThrow())).isEqualTo("2");
  }

  @Test
  void deleteChecksItsPreconditionAndDeletesNothingOnFailure() {
    // Given
    KeyValue first = put("cas/k", "1");
    KeyValue second = put("cas/k", "2");

    // When / Then
    for (Precondition failing :
        List.of(Precondition.modRevision(first.modRevision()), Precondition.ABSENT)) {
      PreconditionFailedException failure =
          catchThrowableOfType(
              PreconditionFailedException.class, () -> store.delete("cas/k", failing));
      assertThat(failure.current()).hasValueSatisfying(kv -> assertSame(kv, second));
    }
    assertThatThrownBy(() -> store.delete("cas/missing", Precondition.PRESENT))
        .isInstanceOf(PreconditionFailedException.class);
    assertNothingWrittenSince(second);

    // When
    Optional<KeyValue> deleted =
        store.delete("cas/k", Precondition.modRevision(second.modRevision()));

    // Then
    assertThat(deleted).hasValueSatisfying(kv -> assertSame(kv, second));
    assertThat(store.get("cas/k")).isEmpty();
    assertThat(store.currentRevision()).isEqualTo(second.modRevision() + 1);
  }

  @Test
  void deleteReturnsThePreviousValue() {
    // Given
    KeyValue last = put("d/k", "last");

    // When
    Optional<KeyValue> deleted = store.delete("d/k", Precondition.PRESENT);

    // Then
    assertThat(deleted).hasValueSatisfying(kv -> assertSame(kv, last));
    assertThat(store.get("d/k")).isEmpty();
  }

  @Test
  void deletingAMissingKeyReturnsNothingAndConsumesNoRevision() {
    // Given
    put("d/other", "1");

    // When
    Optional<KeyValue> deleted = store.delete("d/k", Precondition.NONE);

    // Then
    assertThat(deleted).isEmpty();
    assertThat(store.currentRevision()).isEqualTo(base + 1);
  }

  // ---- watch

  @Test
  void watchReplaysFromARevisionThenStreamsLiveEvents() {
    // Given
    put("w/a", "1");
    long from = put("w/b", "1").modRevision();
    store.delete("w/a", Precondition.NONE);
    RecordingListener listener = new RecordingListener();

    // When
    try (Watch ignored = store.watch("w/", from, listener)) {
      put("w/c", "1");

      // Then
      assertThat(listener.awaitEvents(3))
          .extracting(WatchEvent::type, e -> e.kv().key(), WatchEvent::revision)
          .containsExactly(
              tuple(WatchEvent.Type.PUT, "w/b", base + 2),
              tuple(WatchEvent.Type.DELETE, "w/a", base + 3),
              tuple(WatchEvent.Type.PUT, "w/c", base + 4));
    }
  }

  @Test
  void watchFromZeroDeliversOnlyLaterEvents() {
    // Given
    put("w/old", "1");
    RecordingListener listener = new RecordingListener();

    // When
    try (Watch ignored = store.watch("w/", 0, listener)) {
      put("w/new", "1");

      // Then
      assertThat(listener.awaitEvents(1)).extracting(e -> e.kv().key()).containsExactly("w/new");
      assertThat(listener.quietFor(Duration.ofMillis(100))).hasSize(1);
    }
  }

  @Test
  void watchDeliversOnlyKeysUnderItsPrefix() {
    // Given
    RecordingListener listener = new RecordingListener();

    // When
    try (Watch ignored = store.watch("w/in/", base + 1, listener)) {
      put("w/out", "1");
      put("w/in/a", "1");
      put("w/inside", "1");
      put("w/in/b", "1");

      // Then
      assertThat(listener.awaitEvents(2))
          .extracting(e -> e.kv().key())
          .containsExactly("w/in/a", "w/in/b");
      assertThat(listener.quietFor(Duration.ofMillis(100))).hasSize(2);
    }
  }

  @Test
  void putEventCarriesTheNewAndThePreviousValue() {
    // Given
    KeyValue previous = put("w/k", "1");
    RecordingListener listener = new RecordingListener();

    // When
    try (Watch ignored = store.watch("w/", 0, listener)) {
      KeyValue current = put("w/k", "2");

      // Then
      WatchEvent event = listener.awaitEvents(1).get(0);
      assertThat(event.type()).isEqualTo(WatchEvent.Type.PUT);
      assertSame(event.kv(), current);
      assertSame(event.prevKv(), previous);
    }
  }

  @Test
  void deleteEventCarriesTheDeleteRevisionAndTheLastValue() {
    // Given
    KeyValue last = put("w/k", "last");
    RecordingListener listener = new RecordingListener();

    // When
    try (Watch ignored = store.watch("w/", 0, listener)) {
      store.delete("w/k", Precondition.NONE);

      // Then
      WatchEvent event = listener.awaitEvents(1).get(0);
      assertThat(event.type()).isEqualTo(WatchEvent.Type.DELETE);
      assertThat(event.kv().key()).isEqualTo("w/k");
      assertThat(event.kv().value()).isNull();
      assertThat(event.kv().modRevision()).isEqualTo(base + 2);
      assertSame(event.prevKv(), last);
    }
  }

  @Test
  void watchesSeeEveryRevisionOnceAndInOrderUnderConcurrentWriters() throws Exception {
    // Given
    int threads = 8;
    int writesPerThread = 500;
    int total = threads * writesPerThread;
    RecordingListener fromStart = new RecordingListener();
    RecordingListener startedMidway = new RecordingListener();
    CountDownLatch halfway = new CountDownLatch(total / 2);

    // When
    try (Watch first = store.watch("conc/", 0, fromStart);
        ConcurrentWriters writers =
            ConcurrentWriters.start(
                threads,
                writesPerThread,
                (thread, i) -> {
                  put("conc/" + thread + "/" + (i % 20), "v" + i);
                  halfway.countDown();
                })) {
      halfway.await(30, TimeUnit.SECONDS);
      try (Watch second = store.watch("conc/", base + 1, startedMidway)) {
        writers.await();

        // Then
        List<Long> expected = LongStream.rangeClosed(base + 1, base + total).boxed().toList();
        assertThat(fromStart.awaitEvents(total))
            .extracting(WatchEvent::revision)
            .containsExactlyElementsOf(expected);
        assertThat(startedMidway.awaitEvents(total))
            .extracting(WatchEvent::revision)
            .containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void watchFromACompactedRevisionFails() {
    // Given
    put("h/a", "1");
    put("h/b", "1");
    store = discardHistory(store);
    long compact = store.compactRevision();

    // When
    CompactedException failure =
        catchThrowableOfType(
            CompactedException.class, () -> store.watch("h/", base + 1, new RecordingListener()));

    // Then
    assertThat(compact).isGreaterThan(base + 1);
    assertThat(failure.compactRevision()).isEqualTo(compact);
    RecordingListener listener = new RecordingListener();
    try (Watch ignored = store.watch("h/", compact, listener)) {
      KeyValue next = put("h/c", "1");
      assertThat(listener.awaitEvents(1))
          .extracting(WatchEvent::revision)
          .containsExactly(next.modRevision());
    }
    assertThat(store.get("h/a")).isPresent();
  }

  @Test
  void compactRevisionIsReplayable() {
    // Given
    put("h/a", "1");
    RecordingListener listener = new RecordingListener();

    // When
    long compact = store.compactRevision();

    // Then
    assertThat(compact).isLessThanOrEqualTo(base + 1);
    try (Watch ignored = store.watch("h/", compact, listener)) {
      assertThat(listener.awaitEvents(1)).extracting(e -> e.kv().key()).containsExactly("h/a");
    }
  }

  @Test
  void closingAWatchStopsDelivery() {
    // Given
    RecordingListener listener = new RecordingListener();
    Watch watch = store.watch("w/", 0, listener);
    put("w/a", "1");
    listener.awaitEvents(1);

    // When
    watch.close();
    put("w/b", "1");

    // Then
    assertThat(listener.quietFor(Duration.ofMillis(200))).hasSize(1);
    assertThat(listener.errors()).isEmpty();
  }

  @Test
  void closingTheStoreEndsItsWatchesWithAnError() {
    // Given
    RecordingListener listener = new RecordingListener();
    store.watch("w/", 0, listener);

    // When
    store.close();

    // Then
    assertThat(listener.awaitError()).isInstanceOf(StoreException.class);
  }

  @Test
  void operationsOnAClosedStoreFail() {
    // Given
    store.close();

    // When / Then
    assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.list("")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> put("k", "v")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.delete("k", Precondition.NONE))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.watch("", 0, new RecordingListener()))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.grantLease(TTL)).isInstanceOf(StoreException.class);
  }

  // ---- leases

  @Test
  void anExpiredLeaseDeletesItsKeysWithDeleteEvents() {
    // Given
    Lease lease = store.grantLease(TTL);
    put("l/a", "1", lease.id());
    put("l/b", "1", lease.id());
    put("l/kept", "1");
    RecordingListener listener = new RecordingListener();
    store.watch("l/", 0, listener);

    // When
    List<WatchEvent> events = listener.awaitEvents(2);

    // Then
    assertThat(events)
        .extracting(WatchEvent::type, e -> e.kv().key())
        .containsExactlyInAnyOrder(
            tuple(WatchEvent.Type.DELETE, "l/a"), tuple(WatchEvent.Type.DELETE, "l/b"));
    assertThat(store.list("l/").items()).extracting(KeyValue::key).containsExactly("l/kept");
    assertThatThrownBy(() -> store.keepAlive(lease.id()))
        .isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void keepAliveExtendsTheLease() throws InterruptedException {
    // Given
    Lease lease = store.grantLease(TTL);
    put("l/k", "1", lease.id());

    // When: kept alive for three TTLs
    long until = System.nanoTime() + 3 * TTL.toNanos();
    while (System.nanoTime() < until) {
      store.keepAlive(lease.id());
      Thread.sleep(TTL.toMillis() / 4);
    }

    // Then
    assertThat(store.get("l/k")).isPresent();
    eventually(() -> assertThat(store.get("l/k")).isEmpty());
  }

  @Test
  void revokingALeaseDeletesItsKeysAtOnce() {
    // Given
    Lease lease = store.grantLease(Duration.ofMinutes(1));
    KeyValue attached = put("l/k", "1", lease.id());
    RecordingListener listener = new RecordingListener();
    store.watch("l/", 0, listener);

    // When
    store.revokeLease(lease.id());

    // Then
    assertThat(store.get("l/k")).isEmpty();
    WatchEvent event = listener.awaitEvents(1).get(0);
    assertThat(event.type()).isEqualTo(WatchEvent.Type.DELETE);
    assertSame(event.prevKv(), attached);
    assertThatThrownBy(() -> store.keepAlive(lease.id()))
        .isInstanceOf(LeaseNotFoundException.class);
    assertThatThrownBy(() -> put("l/k", "2", lease.id()))
        .isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void aPutWithAnUnknownLeaseIsRejectedAndWritesNothing() {
    // Given
    long unknown = 987_654_321L;

    // When / Then
    assertThatThrownBy(() -> put("l/k", "1", unknown)).isInstanceOf(LeaseNotFoundException.class);
    assertThat(store.get("l/k")).isEmpty();
    assertThat(store.currentRevision()).isEqualTo(base);
    assertThatThrownBy(() -> store.keepAlive(unknown)).isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void revokingAnUnknownLeaseIsIgnored() {
    // Given
    put("l/k", "1");

    // When
    store.revokeLease(987_654_321L);

    // Then
    assertThat(store.get("l/k")).isPresent();
    assertThat(store.currentRevision()).isEqualTo(base + 1);
  }

  @Test
  void aPutWithoutTheLeaseDetachesTheKey() {
    // Given
    Lease lease = store.grantLease(TTL);
    put("l/detached", "1", lease.id());
    put("l/attached", "1", lease.id());

    // When
    put("l/detached", "2");

    // Then
    eventually(() -> assertThat(store.get("l/attached")).isEmpty());
    assertThat(store.get("l/detached")).hasValueSatisfying(kv -> assertThat(kv.lease()).isZero());
  }

  // ---- durability

  @Test
  void acknowledgedWritesSurviveAReopen() {
    // Given
    Lease lease = store.grantLease(Duration.ofMinutes(1));
    put("p/a", "1");
    put("p/b", "1", lease.id());
    put("p/a", "2");
    store.delete("p/gone", Precondition.NONE);
    put("p/gone", "1");
    store.delete("p/gone", Precondition.NONE);
    ListResult before = store.list("p/");

    // When
    store = reopen(store);

    // Then
    ListResult after = store.list("p/");
    assertThat(after.revision()).isEqualTo(before.revision());
    assertThat(after.items()).hasSameSizeAs(before.items());
    for (int i = 0; i < before.items().size(); i++) {
      assertSame(after.items().get(i), before.items().get(i));
    }
    store.keepAlive(lease.id());
    store.revokeLease(lease.id());
    assertThat(store.get("p/b")).isEmpty();
    assertThat(put("p/c", "1").modRevision()).isEqualTo(before.revision() + 2);
  }

  // ---- helpers

  protected KeyValue put(String key, String value) {
    return put(key, value, 0);
  }

  protected KeyValue put(String key, String value, long lease) {
    return store.put(key, bytes(value), Precondition.NONE, lease);
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  protected static String text(KeyValue kv) {
    return new String(kv.value(), UTF_8);
  }

  /** Same key, value and revisions (records compare arrays by identity). */
  protected static void assertSame(KeyValue actual, KeyValue expected) {
    assertThat(actual)
        .usingRecursiveComparison()
        .withEqualsForType(java.util.Arrays::equals, byte[].class)
        .isEqualTo(expected);
  }

  private void assertNothingWrittenSince(KeyValue last) {
    assertThat(store.currentRevision()).isEqualTo(last.modRevision());
    assertThat(store.get(last.key())).hasValueSatisfying(kv -> assertSame(kv, last));
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  /** Retries {@code assertion} for up to five seconds. */
  protected static void eventually(Runnable assertion) {
    Polling.eventually(Duration.ofSeconds(5), assertion);
  }
}
