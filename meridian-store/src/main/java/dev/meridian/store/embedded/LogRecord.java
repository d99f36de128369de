package dev.meridian.store.embedded;

import dev.meridian.store.KeyValue;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One entry of the write-ahead log or of a snapshot, and its binary payload encoding.
 *
 * <p>Every payload starts with a type byte so that later formats can add types without a file
 * header. A put carries the full key-value (not just the new value) so that replay needs no lookup
 * and can check that revisions follow each other.
 */
sealed interface LogRecord {

  byte PUT = 1;
  byte DELETE = 2;
  byte LEASE_GRANT = 3;
  byte LEASE_REVOKE = 4;
  byte SNAPSHOT_HEADER = 5;

  /** The payload size this record encodes to. */
  int payloadSize();

  /** Writes the payload into {@code out}, which has {@link #payloadSize()} bytes left. */
  void encode(ByteBuffer out);

  record Put(KeyValue kv) implements LogRecord {
    @Override
    public int payloadSize() {
      return 1 + 4 * Long.BYTES + sizeOf(kv.key()) + Integer.BYTES + kv.value().length;
    }

    @Override
    public void encode(ByteBuffer out) {
      out.put(PUT)
          .putLong(kv.createRevision())
          .putLong(kv.modRevision())
          .putLong(kv.version())
          .putLong(kv.lease());
      putString(out, kv.key());
      out.putInt(kv.value().length).put(kv.value());
    }
  }

  record Delete(long revision, String key) implements LogRecord {
    @Override
    public int payloadSize() {
      return 1 + Long.BYTES + sizeOf(key);
    }

    @Override
    public void encode(ByteBuffer out) {
      out.put(DELETE).putLong(revision);
      putString(out, key);
    }
  }

  record LeaseGrant(long id, long ttlMillis) implements LogRecord {
    @Override
    public int payloadSize() {
      return 1 + 2 * Long.BYTES;
    }

    @Override
    public void encode(ByteBuffer out) {
      out.put(LEASE_GRANT).putLong(id).putLong(ttlMillis);
    }
  }

  record LeaseRevoke(long id) implements LogRecord {
    @Override
    public int payloadSize() {
      return 1 + Long.BYTES;
    }

    @Override
    public void encode(ByteBuffer out) {
      out.put(LEASE_REVOKE).putLong(id);
    }
  }

  /**
   * First record of a snapshot; the counts let a reader tell a complete snapshot from a cut one.
   */
  record SnapshotHeader(
      int formatVersion,
      long revision,
      long nextSegment,
      long nextLeaseId,
      long leaseCount,
      long entryCount)
      implements LogRecord {
    @Override
    public int payloadSize() {
      return 1 + Integer.BYTES + 5 * Long.BYTES;
    }

    @Override
    public void encode(ByteBuffer out) {
      out.put(SNAPSHOT_HEADER)
          .putInt(formatVersion)
          .putLong(revision)
          .putLong(nextSegment)
          .putLong(nextLeaseId)
          .putLong(leaseCount)
          .putLong(entryCount);
    }
  }

  /**
   * Decodes a payload whose checksum already matched.
   *
   * @throws CorruptLogException if the payload is not a record this version writes
   */
  static LogRecord decode(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      byte type = in.get();
      LogRecord record =
          switch (type) {
            case PUT -> {
              long create = in.getLong();
              long mod = in.getLong();
              long version = in.getLong();
              long lease = in.getLong();
              String key = getString(in);
              byte[] value = new byte[in.getInt()];
              in.get(value);
              yield new Put(new KeyValue(key, value, create, mod, version, lease));
            }
            case DELETE -> new Delete(in.getLong(), getString(in));
            case LEASE_GRANT -> new LeaseGrant(in.getLong(), in.getLong());
            case LEASE_REVOKE -> new LeaseRevoke(in.getLong());
            case SNAPSHOT_HEADER ->
                new SnapshotHeader(
                    in.getInt(),
                    in.getLong(),
                    in.getLong(),
                    in.getLong(),
                    in.getLong(),
                    in.getLong());
            default -> throw new CorruptLogException("unknown record type " + type);
          };
      if (in.hasRemaining()) {
        throw new CorruptLogException("record type " + type + " has trailing bytes");
      }
      return record;
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new CorruptLogException("record is shorter than its fields");
    }
  }

  private static int sizeOf(String s) {
    return Integer.BYTES + s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void putString(ByteBuffer out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.putInt(bytes.length).put(bytes);
  }

  private static String getString(ByteBuffer in) {
    byte[] bytes = new byte[in.getInt()];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
