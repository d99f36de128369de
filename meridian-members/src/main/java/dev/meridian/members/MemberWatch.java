package dev.meridian.members;

/** A running watch; see {@link MemberCluster#watch}. */
public interface MemberWatch extends AutoCloseable {

  WatchTarget target();

  /** True once the initial list has been delivered. */
  boolean isSynced();

  /** Stops the watch; no event is delivered after this returns. Idempotent. */
  @Override
  void close();
}
