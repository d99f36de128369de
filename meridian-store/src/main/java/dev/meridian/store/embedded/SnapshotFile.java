package dev.meridian.store.embedded;

import dev.meridian.store.KeyValue;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The snapshot file: a {@link LogRecord.SnapshotHeader}, one {@link LogRecord.LeaseGrant} per lease
 * and one {@link LogRecord.Put} per key, framed like the log.
 *
 * <p>It is written to a temporary file, forced, renamed over the previous snapshot and the
 * directory forced, so at every instant the directory holds either the old complete snapshot or the
 * new complete one. A damaged snapshot is therefore real damage, and reading it fails rather than
 * silently opening an older state: the segments it replaced are gone.
 */
final class SnapshotFile {
  static final int FORMAT_VERSION = 1;

  /** The full state as of the end of the segments before {@code nextSegment}. */
  record Image(
      long revision,
      long nextSegment,
      long nextLeaseId,
      List<LogRecord.LeaseGrant> leases,
      List<KeyValue> entries) {}

  private SnapshotFile() {}

  static void write(DataDirectory dir, Image image) throws IOException {
    Path temp = dir.snapshotTemp();
    try (FileChannel channel =
            FileChannel.open(
                temp,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20)) {
      out.write(
          Frames.encode(
              new LogRecord.SnapshotHeader(
                  FORMAT_VERSION,
                  image.revision(),
                  image.nextSegment(),
                  image.nextLeaseId(),
                  image.leases().size(),
                  image.entries().size())));
      for (LogRecord.LeaseGrant lease : image.leases()) {
        out.write(Frames.encode(lease));
      }
      for (KeyValue kv : image.entries()) {
        out.write(Frames.encode(new LogRecord.Put(kv)));
      }
      out.flush();
      if (dir.fsync()) {
        channel.force(true);
      }
    }
    Files.move(
        temp, dir.snapshot(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    dir.syncDirectory();
  }

  /** The latest snapshot, if one was ever completed; removes a half-written one. */
  static Optional<Image> read(DataDirectory dir) throws IOException {
    Files.deleteIfExists(dir.snapshotTemp());
    Path file = dir.snapshot();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (Frames.Reader reader = new Frames.Reader(file)) {
      if (!(reader.next() instanceof LogRecord.SnapshotHeader header)) {
        throw new CorruptLogException(file + " does not start with a snapshot header");
      }
      if (header.formatVersion() != FORMAT_VERSION) {
        throw new CorruptLogException(
            file + " has format " + header.formatVersion() + ", expected " + FORMAT_VERSION);
      }
      List<LogRecord.LeaseGrant> leases = new ArrayList<>();
      for (long i = 0; i < header.leaseCount(); i++) {
        leases.add(expect(reader, LogRecord.LeaseGrant.class, file));
      }
      List<KeyValue> entries = new ArrayList<>();
      for (long i = 0; i < header.entryCount(); i++) {
        entries.add(expect(reader, LogRecord.Put.class, file).kv());
      }
      if (reader.next() != null || reader.torn()) {
        throw new CorruptLogException(file + " has data after its last entry");
      }
      return Optional.of(
          new Image(
              header.revision(),
              header.nextSegment(),
              header.nextLeaseId(),
              List.copyOf(leases),
              entries));
    }
  }

  private static <T extends LogRecord> T expect(Frames.Reader reader, Class<T> type, Path file)
      throws IOException {
    LogRecord record = reader.next();
    if (!type.isInstance(record)) {
      throw new CorruptLogException(
          file + " is cut short or damaged at byte " + reader.validBytes());
    }
    return type.cast(record);
  }
}
