package dev.meridian.store;

/** A watch asked for events older than the store still keeps. */
public final class CompactedException extends StoreException {
  private final long compactRevision;

  public CompactedException(long requested, long compactRevision) {
    super(
        "revision "
            + requested
            + " has been compacted; the oldest available is "
            + compactRevision);
    this.compactRevision = compactRevision;
  }

  public long compactRevision() {
    return compactRevision;
  }
}
