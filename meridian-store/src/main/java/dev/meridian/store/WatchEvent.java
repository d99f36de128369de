package dev.meridian.store;

/**
 * One change.
 *
 * @param kv for PUT the new value; for DELETE the key with a null value and {@code modRevision} =
 *     the delete's revision
 * @param prevKv the value before the change, or null if the key did not exist
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {
  public enum Type {
    PUT,
    DELETE
  }

  public long revision() {
    return kv.modRevision();
  }
}
