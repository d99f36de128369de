package dev.meridian.store.embedded;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names the store's threads for thread dumps. They are daemons so that a forgotten {@code close()}
 * does not keep a JVM alive; an exit without close is as safe as a crash.
 */
final class StoreThreads {
  private StoreThreads() {}

  static ThreadFactory named(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      int n = count.incrementAndGet();
      Thread thread = new Thread(task, n == 1 ? name : name + "-" + n);
      thread.setDaemon(true);
      return thread;
    };
  }
}
