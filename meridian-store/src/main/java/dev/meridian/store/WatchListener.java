package dev.meridian.store;

/** Receives a watch's events in revision order. */
public interface WatchListener {
  void onEvent(WatchEvent event);

  /** The watch ended abnormally (store closed, listener too slow); no more events follow. */
  default void onError(StoreException error) {}
}
