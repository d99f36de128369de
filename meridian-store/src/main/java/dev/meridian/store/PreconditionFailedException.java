package dev.meridian.store;

import java.util.Optional;

/** A write's {@link Precondition} did not hold; {@link #current()} is the key's value now. */
public final class PreconditionFailedException extends StoreException {
  private final transient KeyValue current;

  public PreconditionFailedException(String key, KeyValue current) {
    super(
        current == null
            ? "precondition failed: " + key + " does not exist"
            : "precondition failed: " + key + " is at revision " + current.modRevision());
    this.current = current;
  }

  public Optional<KeyValue> current() {
    return Optional.ofNullable(current);
  }
}
