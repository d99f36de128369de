package dev.meridian.members;

import dev.meridian.api.Meta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A watch listener for tests: keeps every event and lets a test wait for one. */
public final class RecordingListener implements MemberEventListener {
  private final List<MemberEvent> events = new ArrayList<>();
  private final List<MemberException> errors = new ArrayList<>();

  @Override
  public synchronized void onEvent(MemberEvent event) {
    events.add(event);
    notifyAll();
  }

  @Override
  public synchronized void onError(MemberException error) {
    errors.add(error);
    notifyAll();
  }

  public synchronized List<MemberEvent> events() {
    return List.copyOf(events);
  }

  public synchronized List<MemberException> errors() {
    return List.copyOf(errors);
  }

  /** Events about the object named {@code name}, in arrival order. */
  public synchronized List<MemberEvent> eventsFor(String name) {
    return events.stream().filter(e -> Meta.name(e.object()).equals(name)).toList();
  }

  /**
   * Waits for an event of {@code type} about {@code name} that matches {@code condition}.
   *
   * @throws AssertionError if none arrives in time, listing what did arrive
   */
  public MemberEvent await(
      MemberEvent.Type type, String name, Predicate<MemberEvent> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        for (MemberEvent e : events) {
          if (e.type() == type && Meta.name(e.object()).equals(name) && condition.test(e)) {
            return e;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no "
                  + type
                  + " event for "
                  + name
                  + " within "
                  + timeout
                  + "; got "
                  + summary()
                  + (errors.isEmpty() ? "" : "; errors " + errors));
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", ie);
        }
      }
    }
  }

  /** Waits for the first error reported to {@link #onError}. */
  public MemberException awaitError(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (errors.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no error within " + timeout + "; got events " + summary());
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", ie);
        }
      }
      return errors.get(0);
    }
  }

  public MemberEvent await(MemberEvent.Type type, String name, Duration timeout) {
    return await(type, name, e -> true, timeout);
  }

  private List<String> summary() {
    return events.stream().map(e -> e.type() + " " + Meta.name(e.object())).toList();
  }
}
