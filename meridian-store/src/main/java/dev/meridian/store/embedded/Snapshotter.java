package dev.meridian.store.embedded;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the log: once the current segment passes the threshold, the commit thread starts a new
 * segment and captures the state at that exact boundary (a copy of references, since values are
 * immutable); a background thread then writes the snapshot and deletes the covered segments, so
 * writers never wait for it.
 */
final class Snapshotter {
  private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

  private final DataDirectory dir;
  private final WriteAheadLog log;
  private final Keyspace keyspace;
  private final LeaseTable leases;
  private final long thresholdBytes;
  private final ExecutorService writer;
  private volatile boolean writing;

  Snapshotter(
      DataDirectory dir,
      WriteAheadLog log,
      Keyspace keyspace,
      LeaseTable leases,
      long thresholdBytes) {
    this.dir = dir;
    this.log = log;
    this.keyspace = keyspace;
    this.leases = leases;
    this.thresholdBytes = thresholdBytes;
    this.writer = Executors.newSingleThreadExecutor(StoreThreads.named("meridian-store-snapshot"));
  }

  /** Commit thread only, between batches. */
  void afterCommit() throws IOException {
    if (writing || log.segmentBytes() < thresholdBytes) {
      return;
    }
    long nextSegment = log.roll();
    SnapshotFile.Image image =
        new SnapshotFile.Image(
            keyspace.revision(), nextSegment, leases.nextId(), leases.grants(), keyspace.copyAll());
    writing = true;
    writer.execute(() -> write(image));
  }

  private void write(SnapshotFile.Image image) {
    long started = System.nanoTime();
    try {
      SnapshotFile.write(dir, image);
      log.deleteSegmentsBefore(image.nextSegment());
      LOG.info(
          "Snapshot at revision {} with {} keys written in {} ms",
          image.revision(),
          image.entries().size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (IOException | RuntimeException e) {
      // nothing is lost: the segments it would have replaced are still there
      LOG.warn("Snapshot at revision {} failed; keeping the log", image.revision(), e);
    } finally {
      writing = false;
    }
  }

  /** Waits for a snapshot in progress; the commit thread must have stopped. */
  void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("Snapshot still being written after a minute; closing without it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
