package dev.meridian.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Writer threads for tests of concurrent writes: each runs its own numbered sequence. */
public final class ConcurrentWriters implements AutoCloseable {
  /** One write: the {@code index}-th of writer {@code thread}. */
  public interface Write {
    void run(int thread, int index);
  }

  private final ExecutorService pool;
  private final List<Future<?>> writers = new ArrayList<>();

  private ConcurrentWriters(int threads, int writesPerThread, Write write) {
    pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      writers.add(
          pool.submit(
              () -> {
                for (int i = 0; i < writesPerThread; i++) {
                  write.run(thread, i);
                }
              }));
    }
  }

  public static ConcurrentWriters start(int threads, int writesPerThread, Write write) {
    return new ConcurrentWriters(threads, writesPerThread, write);
  }

  /** Waits for every writer to finish, rethrowing the first failure. */
  public void await() throws Exception {
    for (Future<?> writer : writers) {
      writer.get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
