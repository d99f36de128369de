package dev.meridian.store;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Collects a watch's events and errors and lets a test wait for them. */
public final class RecordingListener implements WatchListener {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<WatchEvent> events = new ArrayList<>();
  private final List<StoreException> errors = new ArrayList<>();

  @Override
  public synchronized void onEvent(WatchEvent event) {
    events.add(event);
    notifyAll();
  }

  @Override
  public synchronized void onError(StoreException error) {
    errors.add(error);
    notifyAll();
  }

  public synchronized List<WatchEvent> events() {
    return List.copyOf(events);
  }

  public synchronized List<StoreException> errors() {
    return List.copyOf(errors);
  }

  /** Waits until at least {@code count} events arrived and returns all received so far. */
  public synchronized List<WatchEvent> awaitEvents(int count) {
    awaitUntil(() -> events.size() >= count, () -> count + " events, got " + events.size());
    return List.copyOf(events);
  }

  public synchronized StoreException awaitError() {
    awaitUntil(() -> !errors.isEmpty(), () -> "an error");
    return errors.get(0);
  }

  /** Lets {@code time} pass, so that unwanted events would arrive, and returns all events. */
  public List<WatchEvent> quietFor(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return events();
  }

  private void awaitUntil(BooleanSupplier done, Supplier<String> what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("waited " + TIMEOUT.toSeconds() + " s for " + what.get());
        }
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while waiting for " + what.get());
    }
  }
}
