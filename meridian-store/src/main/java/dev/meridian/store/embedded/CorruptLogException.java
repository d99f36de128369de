package dev.meridian.store.embedded;

import dev.meridian.store.StoreException;

/** On-disk data that passed its checksum (or sits before newer data) but cannot be used. */
final class CorruptLogException extends StoreException {
  CorruptLogException(String message) {
    super(message);
  }
}
