package dev.meridian.store.embedded;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log segments: appends go to the newest one; a new segment is started for each snapshot so
 * that the snapshot covers whole segments and the older ones can simply be deleted.
 *
 * <p>Appending and rolling happen on the commit thread only; deleting old segments may happen on
 * another thread since it never touches the segment being appended to.
 */
final class WriteAheadLog implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

  private final DataDirectory dir;
  private FileChannel channel;
  private long seq;
  private long segmentBytes;

  private WriteAheadLog(DataDirectory dir, FileChannel channel, long seq, long segmentBytes) {
    this.dir = dir;
    this.channel = channel;
    this.seq = seq;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Replays every record from segment {@code firstSegment} on and opens the last segment for
   * appending. A torn or corrupt tail of the last segment can only be a write that was never
   * acknowledged, so it is cut off; damage anywhere else would lose acknowledged writes and fails
   * the recovery instead.
   */
  static WriteAheadLog recover(DataDirectory dir, long firstSegment, Consumer<LogRecord> replay)
      throws IOException {
    List<Long> present = dir.segments();
    for (long old : present) {
      if (old < firstSegment) {
        // a snapshot covered it but the crash came before the deletion
        Files.deleteIfExists(dir.segment(old));
      }
    }
    List<Long> live = present.stream().filter(s -> s >= firstSegment).toList();
    if (live.isEmpty()) {
      FileChannel channel = create(dir, firstSegment);
      return new WriteAheadLog(dir, channel, firstSegment, 0);
    }
    for (int i = 0; i < live.size(); i++) {
      long seq = live.get(i);
      if (seq != firstSegment + i) {
        throw new CorruptLogException(
            "log segment " + dir.segment(firstSegment + i) + " is missing");
      }
      boolean last = i == live.size() - 1;
      replaySegment(dir, seq, last, replay);
    }
    long lastSeq = live.get(live.size() - 1);
    FileChannel channel = FileChannel.open(dir.segment(lastSeq), StandardOpenOption.WRITE);
    long size = channel.size();
    channel.position(size);
    return new WriteAheadLog(dir, channel, lastSeq, size);
  }

  private static void replaySegment(
      DataDirectory dir, long seq, boolean last, Consumer<LogRecord> replay) throws IOException {
    Path file = dir.segment(seq);
    long validBytes;
    try (Frames.Reader reader = new Frames.Reader(file)) {
      for (LogRecord record = reader.next(); record != null; record = reader.next()) {
        replay.accept(record);
      }
      if (!reader.torn()) {
        return;
      }
      validBytes = reader.validBytes();
    }
    if (!last) {
      throw new CorruptLogException(
          file + " is damaged at byte " + validBytes + " and newer segments follow it");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      LOG.warn(
          "Cutting a torn tail of {} bytes off {} (a write that was never acknowledged)",
          channel.size() - validBytes,
          file.getFileName());
      channel.truncate(validBytes);
      channel.force(true);
    }
  }

  private static FileChannel create(DataDirectory dir, long seq) throws IOException {
    FileChannel channel =
        FileChannel.open(dir.segment(seq), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    // the directory entry must be durable before any acknowledged write lives in the file
    dir.syncDirectory();
    return channel;
  }

  /** Appends the frames in one gathering write and makes them durable before returning. */
  void append(List<byte[]> frames) throws IOException {
    ByteBuffer[] buffers = new ByteBuffer[frames.size()];
    long total = 0;
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = ByteBuffer.wrap(frames.get(i));
      total += buffers[i].remaining();
    }
    long written = 0;
    while (written < total) {
      written += channel.write(buffers);
    }
    if (dir.fsync()) {
      channel.force(false);
    }
    segmentBytes += total;
  }

  /** Bytes in the segment being appended to. */
  long segmentBytes() {
    return segmentBytes;
  }

  /** Starts a new segment for further appends and returns its sequence number. */
  long roll() throws IOException {
    FileChannel next = create(dir, seq + 1);
    channel.close();
    channel = next;
    seq++;
    segmentBytes = 0;
    return seq;
  }

  /** Deletes the segments a durable snapshot has made redundant. */
  void deleteSegmentsBefore(long firstKept) throws IOException {
    for (long old : dir.segments()) {
      if (old < firstKept) {
        Files.deleteIfExists(dir.segment(old));
      }
    }
    dir.syncDirectory();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
