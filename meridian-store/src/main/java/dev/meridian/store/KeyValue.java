package dev.meridian.store;

/**
 * A stored key and its value.
 *
 * <p>Stores hand out their own {@code value} array without copying it, so it must not be modified;
 * note that {@code equals} compares arrays by identity, as records do.
 *
 * @param value the value; null only in the {@code kv} of a {@link WatchEvent.Type#DELETE} event
 * @param createRevision revision of the write that created the key
 * @param modRevision revision of the last write to the key (the API's resourceVersion)
 * @param version number of writes since creation (1 after create)
 * @param lease lease id the key is attached to, or 0
 */
public record KeyValue(
    String key, byte[] value, long createRevision, long modRevision, long version, long lease) {}
