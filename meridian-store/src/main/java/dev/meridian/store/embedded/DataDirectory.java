package dev.meridian.store.embedded;

import dev.meridian.store.StoreException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one store: {@code wal-<seq>.log} segments, {@code snapshot} (written as {@code
 * snapshot.tmp} and renamed) and {@code LOCK}, which is held while the store is open because two
 * processes appending to one log would corrupt it.
 */
final class DataDirectory implements Closeable {
  private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.log");

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final boolean fsync;

  private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock, boolean fsync) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.fsync = fsync;
  }

  static DataDirectory open(Path dir, boolean fsync) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      if (fsync && dir.toAbsolutePath().getParent() != null) {
        // a new directory's own entry must survive a power loss too
        force(dir.toAbsolutePath().getParent());
      }
    }
    FileChannel channel =
        FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new StoreException("store directory " + dir + " is in use by another store");
    }
    return new DataDirectory(dir, channel, lock, fsync);
  }

  Path path() {
    return dir;
  }

  boolean fsync() {
    return fsync;
  }

  Path snapshot() {
    return dir.resolve("snapshot");
  }

  Path snapshotTemp() {
    return dir.resolve("snapshot.tmp");
  }

  Path segment(long seq) {
    return dir.resolve(String.format("wal-%020d.log", seq));
  }

  /** Sequence numbers of the log segments present, ascending. */
  List<Long> segments() throws IOException {
    List<Long> seqs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Matcher m = SEGMENT.matcher(file.getFileName().toString());
        if (m.matches()) {
          seqs.add(Long.parseLong(m.group(1)));
        }
      }
    }
    seqs.sort(null);
    return seqs;
  }

  /** Makes creations, renames and deletions of files in the directory durable. */
  void syncDirectory() throws IOException {
    if (fsync) {
      force(dir);
    }
  }

  private static void force(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
