package dev.meridian.store.embedded;

import dev.meridian.store.LeaseNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live leases. Grants, revocations and key attachments change only on the commit thread, in the
 * order the log records them; deadlines are not logged (a restart restarts every lease's full TTL,
 * as etcd does), so keep-alives just move a volatile deadline from any thread.
 */
final class LeaseTable {

  static final class Entry {
    final long id;
    final Duration ttl;

    /** Keys attached to this lease; commit thread only. */
    final Set<String> keys = new HashSet<>();

    private volatile long deadlineNanos;
    private volatile boolean expiring;

    private Entry(long id, Duration ttl, long nowNanos) {
      this.id = id;
      this.ttl = ttl;
      renew(nowNanos);
    }

    private void renew(long nowNanos) {
      deadlineNanos = nowNanos + ttl.toNanos();
    }

    boolean expired(long nowNanos) {
      return nowNanos - deadlineNanos >= 0;
    }

    /** A keep-alive won the race against a pending expiry; let a later tick claim it again. */
    void cancelExpiry() {
      expiring = false;
    }
  }

  private final ConcurrentHashMap<Long, Entry> leases = new ConcurrentHashMap<>();
  private long nextId = 1;

  Entry grant(Duration ttl, long nowNanos) {
    Entry entry = new Entry(nextId++, ttl, nowNanos);
    leases.put(entry.id, entry);
    return entry;
  }

  /** Re-creates a lease found in a snapshot or the log; see {@link #restartClocks}. */
  void restore(long id, long ttlMillis) {
    leases.put(id, new Entry(id, Duration.ofMillis(ttlMillis), System.nanoTime()));
    nextId = Math.max(nextId, id + 1);
  }

  /** Gives every lease its full TTL from now, once recovery is over. */
  void restartClocks(long nowNanos) {
    leases.values().forEach(entry -> entry.renew(nowNanos));
  }

  /** Keeps ids unique across restarts even when the leases holding the highest ids are gone. */
  void restoreNextId(long id) {
    nextId = Math.max(nextId, id);
  }

  long nextId() {
    return nextId;
  }

  Entry get(long id) {
    return leases.get(id);
  }

  void remove(long id) {
    leases.remove(id);
  }

  /** Attaches {@code key} to lease {@code id} (0: none); false if there is no such lease. */
  boolean attach(long id, String key) {
    if (id == 0) {
      return true;
    }
    Entry entry = leases.get(id);
    if (entry == null) {
      return false;
    }
    entry.keys.add(key);
    return true;
  }

  void detach(long id, String key) {
    Entry entry = id == 0 ? null : leases.get(id);
    if (entry != null) {
      entry.keys.remove(key);
    }
  }

  void keepAlive(long id, long nowNanos) {
    Entry entry = leases.get(id);
    if (entry == null) {
      throw new LeaseNotFoundException(id);
    }
    entry.renew(nowNanos);
  }

  /** Leases past their deadline that no earlier call has claimed yet. */
  List<Long> claimExpired(long nowNanos) {
    List<Long> claimed = new ArrayList<>();
    for (Entry entry : leases.values()) {
      if (!entry.expiring && entry.expired(nowNanos)) {
        entry.expiring = true;
        claimed.add(entry.id);
      }
    }
    return claimed;
  }

  List<LogRecord.LeaseGrant> grants() {
    List<LogRecord.LeaseGrant> grants = new ArrayList<>();
    for (Entry entry : leases.values()) {
      grants.add(new LogRecord.LeaseGrant(entry.id, entry.ttl.toMillis()));
    }
    return grants;
  }
}
