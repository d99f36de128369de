package dev.meridian.store.embedded;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Framing of records on disk: {@code [int length][int crc32][payload]}, big-endian.
 *
 * <p>The checksum covers the length bytes as well as the payload, so a torn or garbled length is
 * caught by the checksum even when it happens to point inside the file. A zero length is never
 * written, which makes a zero-filled tail (a crash after the file grew but before its data landed)
 * read as torn.
 */
final class Frames {
  static final int HEADER_BYTES = 8;

  /** Bounds what a torn length can make recovery allocate. */
  static final int MAX_PAYLOAD_BYTES = 64 << 20;

  private Frames() {}

  static byte[] encode(LogRecord record) {
    int length = record.payloadSize();
    if (length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "record of " + length + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES);
    }
    byte[] frame = new byte[HEADER_BYTES + length];
    ByteBuffer out = ByteBuffer.wrap(frame).putInt(length).putInt(0);
    record.encode(out);
    if (out.hasRemaining()) {
      throw new IllegalStateException(record.getClass().getSimpleName() + " mis-sized its payload");
    }
    out.putInt(Integer.BYTES, checksum(frame, HEADER_BYTES, length));
    return frame;
  }

  private static int checksum(byte[] bytes, int payloadOffset, int length) {
    CRC32 crc = new CRC32();
    crc.update(ByteBuffer.allocate(Integer.BYTES).putInt(0, length));
    crc.update(bytes, payloadOffset, length);
    return (int) crc.getValue();
  }

  /** Reads a file's frames up to its end or up to the first torn or corrupt frame. */
  static final class Reader implements Closeable {
    private final DataInputStream in;
    private final long fileBytes;
    private long validBytes;
    private boolean torn;

    Reader(Path file) throws IOException {
      this.fileBytes = Files.size(file);
      this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    /**
     * The next record, or null where the intact frames end.
     *
     * @throws CorruptLogException if a frame is intact but its payload is not a known record
     */
    LogRecord next() throws IOException {
      long remaining = fileBytes - validBytes;
      if (remaining == 0) {
        return null;
      }
      if (remaining < HEADER_BYTES) {
        torn = true;
        return null;
      }
      int length = in.readInt();
      int crc = in.readInt();
      if (length <= 0 || length > MAX_PAYLOAD_BYTES || length > remaining - HEADER_BYTES) {
        torn = true;
        return null;
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      if (checksum(payload, 0, length) != crc) {
        torn = true;
        return null;
      }
      validBytes += HEADER_BYTES + length;
      return LogRecord.decode(payload);
    }

    /** Bytes from the start of the file up to the end of the last intact frame read. */
    long validBytes() {
      return validBytes;
    }

    /** Whether reading stopped before the end of the file. */
    boolean torn() {
      return torn;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
