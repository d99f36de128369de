package dev.meridian.members.simulated;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.MemberEventListener;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.WatchTarget;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch on a simulated cluster. Events queue here and are delivered in order, one API latency
 * after they happen, by a task on the shared scheduler. The watch remembers what its listener has
 * seen, so after an outage it catches up as a real informer does when it re-lists: the differences
 * arrive as ADDED, MODIFIED and DELETED.
 */
final class SimulatedWatch implements MemberWatch {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedWatch.class);

  private record Pending(MemberEvent.Type type, String key, ObjectNode object) {}

  private static final Pending SYNCED = new Pending(null, null, null);

  private final SimulatedMember member;
  private final WatchTarget target;
  private final String group;
  private final MemberEventListener listener;
  private final ScheduledExecutorService scheduler;
  // guards queue, known and drainScheduled; never held while the listener runs, so a listener
  // that calls back into the member cannot deadlock with a writer enqueueing here
  private final ReentrantLock lock = new ReentrantLock();
  // held while the listener runs, so that close() returns only when no event is being delivered
  private final ReentrantLock delivery = new ReentrantLock();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Map<String, ObjectNode> known = new HashMap<>(); // what the listener has seen
  private boolean drainScheduled;
  private volatile boolean synced;
  private volatile boolean closed;

  SimulatedWatch(
      SimulatedMember member,
      WatchTarget target,
      MemberEventListener listener,
      ScheduledExecutorService scheduler) {
    this.member = member;
    this.target = target;
    int slash = target.apiVersion().indexOf('/');
    this.group = slash < 0 ? "" : target.apiVersion().substring(0, slash);
    this.listener = listener;
    this.scheduler = scheduler;
  }

  boolean matches(String objGroup, String kind, String namespace) {
    return group.equals(objGroup)
        && target.kind().equals(kind)
        && (target.namespace().isEmpty() || target.namespace().equals(namespace));
  }

  /** Called under the member's lock, in the order of changes. */
  void enqueue(MemberEvent.Type type, String key, ObjectNode snapshot) {
    lock.lock();
    try {
      queue.add(new Pending(type, key, snapshot));
      scheduleDrain();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Brings the listener level with {@code current} (key to stored snapshot), as a re-list would:
   * queued events are dropped, differences queued. Called under the member's lock.
   */
  void resync(Map<String, ObjectNode> current) {
    lock.lock();
    try {
      queue.clear();
      for (Map.Entry<String, ObjectNode> e : known.entrySet()) {
        if (!current.containsKey(e.getKey())) {
          // as a real watch's re-list: the version it was deleted at is unknown
          queue.add(
              new Pending(
                  MemberEvent.Type.DELETED,
                  e.getKey(),
                  MemberEvent.deletedAtUnknownVersion(e.getValue())));
        }
      }
      for (Map.Entry<String, ObjectNode> e : current.entrySet()) {
        ObjectNode seen = known.get(e.getKey());
        if (seen == null) {
          queue.add(new Pending(MemberEvent.Type.ADDED, e.getKey(), e.getValue()));
        } else if (seen != e.getValue()) {
          queue.add(new Pending(MemberEvent.Type.MODIFIED, e.getKey(), e.getValue()));
        }
      }
      if (!synced) {
        queue.add(SYNCED);
      }
      scheduleDrain();
    } finally {
      lock.unlock();
    }
  }

  private void scheduleDrain() {
    if (drainScheduled || closed) {
      return;
    }
    try {
      scheduler.schedule(this::drain, member.latencyNanos(), TimeUnit.NANOSECONDS);
      drainScheduled = true;
    } catch (RejectedExecutionException e) {
      // the factory is closed: nothing is delivered any more
    }
  }

  /** Delivers queued events one by one; only one drain runs at a time (drainScheduled). */
  private void drain() {
    while (true) {
      Pending p;
      lock.lock();
      try {
        if (closed || queue.isEmpty()) {
          drainScheduled = false;
          return;
        }
        if (member.isFailed()) {
          // the connection is down: nothing arrives; recover() re-lists
          queue.clear();
          drainScheduled = false;
          return;
        }
        p = queue.poll();
        if (p == SYNCED) {
          synced = true;
          continue;
        }
        if (p.type() == MemberEvent.Type.DELETED) {
          known.remove(p.key());
        } else {
          known.put(p.key(), p.object());
        }
      } finally {
        lock.unlock();
      }
      delivery.lock();
      try {
        if (!closed) {
          listener.onEvent(new MemberEvent(p.type(), p.object().deepCopy()));
        }
      } catch (RuntimeException e) {
        LOG.warn("watch listener failed on {} of {} on {}", p.type(), target, member.name(), e);
      } finally {
        delivery.unlock();
      }
    }
  }

  @Override
  public WatchTarget target() {
    return target;
  }

  @Override
  public boolean isSynced() {
    return synced;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    member.forget(this);
    lock.lock();
    try {
      queue.clear();
      known.clear();
    } finally {
      lock.unlock();
    }
    delivery.lock(); // waits for a delivery in progress
    delivery.unlock();
  }
}
