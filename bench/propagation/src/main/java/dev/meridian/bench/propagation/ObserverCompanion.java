package dev.meridian.bench.propagation;

import dev.meridian.bench.support.HubChild;
import dev.meridian.hub.Hub;
import java.io.IOException;

/**
 * Runs a {@link MemberObserver} in the hub's child JVM beside the hub ({@code bench/support}'s
 * {@code HubChild --companion}), because simulated member clusters live in the hub's JVM: only from
 * there can anyone see what they hold. Its port is the ready file's fourth line ({@code
 * HubJvm.extra()}); it is closed before the hub.
 */
public final class ObserverCompanion implements HubChild.Companion {
  private MemberObserver observer;

  @Override
  public String start(Hub hub) throws IOException {
    observer = MemberObserver.start(hub);
    return Integer.toString(observer.port());
  }

  @Override
  public void close() {
    if (observer != null) {
      observer.close();
    }
  }
}
