package dev.meridian.store;

/** A lease id that is unknown, expired or revoked. */
public final class LeaseNotFoundException extends StoreException {
  public LeaseNotFoundException(long id) {
    super("lease " + id + " not found");
  }
}
