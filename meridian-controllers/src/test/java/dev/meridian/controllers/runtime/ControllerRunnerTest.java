package dev.meridian.controllers.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControllerRunnerTest {
  final ExecutorService workers = Executors.newFixedThreadPool(4);
  final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    workers.shutdownNow();
    timers.shutdownNow();
  }

  static void await(ControllerRunner runner) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!runner.idle() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(runner.idle()).isTrue();
  }

  @Test
  void aKeyQueuedManyTimesWhileWaitingIsReconciledOnce() throws Exception {
    // Given: one worker busy, so the queue fills
    CountDownLatch release = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    ControllerRunner runner =
        new ControllerRunner(
            "t",
            key -> {
              if (key.equals("block")) {
                release.await();
              }
              seen.add(key);
              return null;
            },
            workers,
            timers,
            1);
    // When
    runner.enqueue("block");
    for (int i = 0; i < 10; i++) {
      runner.enqueue("a");
    }
    release.countDown();
    await(runner);
    // Then
    assertThat(seen).containsExactly("block", "a");
  }

  @Test
  void neverRunsOneKeyTwiceAtOnceButRepeatsAChangeThatArrivedDuringAPass() throws Exception {
    // Given
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    AtomicInteger passes = new AtomicInteger();
    CountDownLatch inPass = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ControllerRunner runner =
        new ControllerRunner(
            "t",
            key -> {
              maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
              if (passes.incrementAndGet() == 1) {
                inPass.countDown();
                release.await();
              }
              concurrent.decrementAndGet();
              return null;
            },
            workers,
            timers,
            4);
    // When
    runner.enqueue("k");
    inPass.await();
    runner.enqueue("k");
    runner.enqueue("k");
    release.countDown();
    await(runner);
    // Then
    assertThat(maxConcurrent.get()).isEqualTo(1);
    assertThat(passes.get()).isEqualTo(2);
  }

  @Test
  void retriesFailuresWithGrowingBackoffAndHonoursRequeue() throws Exception {
    // Given
    Map<String, List<Long>> times = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(2);
    ControllerRunner runner =
        new ControllerRunner(
            "t",
            key -> {
              List<Long> t = times.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
              t.add(System.nanoTime());
              if (key.equals("flaky") && t.size() < 4) {
                throw new IllegalStateException("not yet");
              }
              if (key.equals("periodic") && t.size() < 3) {
                return Duration.ofMillis(50);
              }
              done.countDown();
              return null;
            },
            workers,
            timers,
            2);
    // When
    runner.enqueue("flaky");
    runner.enqueue("periodic");
    // Then
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    List<Long> flaky = times.get("flaky");
    assertThat(flaky).hasSize(4);
    long gap1 = flaky.get(1) - flaky.get(0);
    long gap3 = flaky.get(3) - flaky.get(2);
    assertThat(gap1).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));
    assertThat(gap3).as("backoff grows").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(390));
    assertThat(times.get("periodic")).hasSize(3);
    runner.close();
  }

  @Test
  void aDelayedPassAskedForDuringAPassIsNotPushedBackByItsResync() throws Exception {
    // Given: a reconciler that asks to be looked at again in an hour
    CountDownLatch inPass = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger passes = new AtomicInteger();
    ControllerRunner runner =
        new ControllerRunner(
            "t",
            key -> {
              if (passes.incrementAndGet() == 1) {
                inPass.countDown();
                release.await();
              }
              return Duration.ofHours(1);
            },
            workers,
            timers,
            1);
    runner.enqueue("a");
    inPass.await();
    // When: during the first pass, something asks for another one 50 ms later
    runner.enqueueAfter("a", Duration.ofMillis(50));
    release.countDown();
    // Then: it comes then, not in an hour
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (passes.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(passes.get()).isEqualTo(2);
    runner.close();
  }
}
