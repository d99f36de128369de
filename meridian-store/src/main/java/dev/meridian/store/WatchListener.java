package dev.meridian.store;

/** Receives a watch's events in revision order. */
public interface WatchListener {
  void onEvent(WatchEvent event);

  /** The watch ended abnormally (store closed, listener too slow); no more events follow. */
  default void onError(StoreException error) {}

  /**
   * How many events this listener may fall behind before the watch is ended; 0 for the store's
   * default. A listener in the store's own process that would rather be late than list everything
   * again (a controller's) may ask for more than a remote client gets; the store may cap it.
   */
  default int maxBacklog() {
    return 0;
  }
}
