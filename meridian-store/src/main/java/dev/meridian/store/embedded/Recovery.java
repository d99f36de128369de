package dev.meridian.store.embedded;

import dev.meridian.store.KeyValue;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rebuilds the state from disk: the latest snapshot, then every intact log record after it. */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  record Recovered(Keyspace keyspace, LeaseTable leases, WriteAheadLog log) {}

  private final Keyspace keyspace = new Keyspace();
  private final LeaseTable leases = new LeaseTable();
  private long replayed;

  private Recovery() {}

  static Recovered run(DataDirectory dir) throws IOException {
    return new Recovery().recover(dir);
  }

  private Recovered recover(DataDirectory dir) throws IOException {
    long started = System.nanoTime();
    long firstSegment = 1;
    Optional<SnapshotFile.Image> snapshot = SnapshotFile.read(dir);
    if (snapshot.isPresent()) {
      SnapshotFile.Image image = snapshot.get();
      keyspace.load(image.revision(), image.entries());
      image.leases().forEach(lease -> leases.restore(lease.id(), lease.ttlMillis()));
      leases.restoreNextId(image.nextLeaseId());
      firstSegment = image.nextSegment();
    }
    WriteAheadLog log = WriteAheadLog.recover(dir, firstSegment, this::replay);
    for (KeyValue kv : keyspace.copyAll()) {
      if (!leases.attach(kv.lease(), kv.key())) {
        LOG.warn(
            "Key {} names lease {}, which does not exist; it will not expire",
            kv.key(),
            kv.lease());
      }
    }
    leases.restartClocks(System.nanoTime());
    LOG.info(
        "Opened store {} at revision {} ({} snapshot, {} log records replayed) in {} ms",
        dir.path(),
        keyspace.revision(),
        snapshot.isPresent() ? "from a" : "without",
        replayed,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return new Recovered(keyspace, leases, log);
  }

  private void replay(LogRecord record) {
    replayed++;
    if (record instanceof LogRecord.LeaseGrant grant) {
      leases.restore(grant.id(), grant.ttlMillis());
    } else if (record instanceof LogRecord.LeaseRevoke revoke) {
      leases.remove(revoke.id());
    } else if (record instanceof LogRecord.SnapshotHeader) {
      throw new CorruptLogException("snapshot header inside the log");
    } else {
      keyspace.replay(record);
    }
  }
}
