package dev.meridian.store.embedded;

import dev.meridian.store.Precondition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures put latency and throughput with fsync on, for the figures in the README. Not a test: run
 * it by hand, with the test classpath, as {@code java ... GroupCommitProbe [dir] [seconds]}.
 */
public final class GroupCommitProbe {
  private GroupCommitProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("probe");
    long seconds = args.length > 1 ? Long.parseLong(args[1]) : 5;
    byte[] value = new byte[1024];
    for (int writers : new int[] {1, 8, 64}) {
      Path run = dir.resolve("writers-" + writers);
      try (EmbeddedStore store = EmbeddedStore.open(run)) {
        report(writers, measure(store, writers, value, TimeUnit.SECONDS.toNanos(seconds)), seconds);
      }
    }
  }

  private static long[] measure(EmbeddedStore store, int writers, byte[] value, long nanos)
      throws InterruptedException {
    long end = System.nanoTime() + nanos;
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      long[] latencies = new long[200_000];
      perThread.add(latencies);
      String prefix = "probe/" + t + "/";
      Thread thread =
          new Thread(
              () -> {
                int n = 0;
                while (System.nanoTime() < end && n < latencies.length - 1) {
                  long started = System.nanoTime();
                  store.put(prefix + (n % 1000), value, Precondition.NONE, 0);
                  latencies[++n] = System.nanoTime() - started;
                }
                latencies[0] = n;
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    int total = perThread.stream().mapToInt(l -> (int) l[0]).sum();
    long[] all = new long[total];
    int at = 0;
    for (long[] latencies : perThread) {
      int n = (int) latencies[0];
      System.arraycopy(latencies, 1, all, at, n);
      at += n;
    }
    Arrays.sort(all);
    return all;
  }

  private static void report(int writers, long[] sorted, long seconds) {
    System.out.printf(
        "%2d writers: %7.0f writes/s  p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  max %6.2f ms%n",
        writers,
        sorted.length / (double) seconds,
        millis(sorted, 0.50),
        millis(sorted, 0.99),
        millis(sorted, 0.999),
        sorted[sorted.length - 1] / 1e6);
  }

  private static double millis(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
  }
}
