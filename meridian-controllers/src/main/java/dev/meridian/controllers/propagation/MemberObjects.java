package dev.meridian.controllers.propagation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.controllers.propagation.render.MemberManifest;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.MemberEventListener;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.ResourceRef;
import dev.meridian.members.WatchTarget;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the member clusters hold of the kinds Meridian applies there, kept by one informer-style
 * watch per cluster and kind (as Karmada's and client-go's informers do), so that the work
 * controller reads objects locally instead of asking the member on every pass.
 *
 * <ul>
 *   <li>A watch starts the first time a kind is looked up on a cluster; until its initial list has
 *       arrived, and after it reported an error until its next event, {@link #lookup} says "don't
 *       know" and the caller asks the member.
 *   <li>Objects Meridian manages ({@value MemberManifest#MANAGED_LABEL}) are kept whole: their spec
 *       for drift, their status for health. Of other objects only the name is kept: all the
 *       controller needs is that they exist and are not Meridian's.
 *   <li>A change to an object Meridian manages is reported to {@code onChange} as the key ({@code
 *       NAMESPACE/NAME}) of the Work that applied it (from the object's {@value
 *       MemberManifest#BINDING_ANNOTATION} annotation and the cluster's name), so status, health
 *       and drift follow the member's events rather than polling.
 * </ul>
 *
 * <p>What the cache says lags the member by one watch delivery. Right after an apply the controller
 * uses the apply's answer; an object someone creates in a member in that window can be taken for
 * absent (the same window an informer-based controller has).
 */
final class MemberObjects implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberObjects.class);

  /** What the cache knows of one object; {@code live} is null when the member has none. */
  record Known(ObjectNode live) {
    Optional<ObjectNode> object() {
      return Optional.ofNullable(live);
    }
  }

  /** Deletions remembered per watched kind before the memory starts over. */
  private static final int MAX_DELETIONS = 4096;

  private final Consumer<String> onChange;
  private final Map<String, ClusterObjects> clusters = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param onChange receives the key of the Work whose object changed on a member; called on a
   *     watch's delivery thread, so it must only queue
   */
  MemberObjects(Consumer<String> onChange) {
    this.onChange = onChange;
  }

  /**
   * Stops the watches of kinds not looked up for {@code idle} or longer, with what they hold. The
   * work controller looks up every kind its Works hold at least once a resync period, so a kind
   * idle for many periods is one no Work on that cluster applies any more (its templates were
   * deleted or moved): keeping its watch would only keep memory and a connection busy. A later
   * lookup starts it again.
   *
   * @return how many watches were stopped
   */
  int dropIdle(Duration idle) {
    long cutoff = System.nanoTime() - idle.toNanos();
    int dropped = 0;
    for (ClusterObjects c : clusters.values()) {
      for (Map.Entry<String, KindObjects> e : c.kinds.entrySet()) {
        if (e.getValue().lastLookup - cutoff < 0 && c.kinds.remove(e.getKey(), e.getValue())) {
          e.getValue().close();
          dropped++;
        }
      }
    }
    return dropped;
  }

  /**
   * What {@code member} holds under {@code ref}, or null when the cache cannot tell (yet); starts
   * watching the kind on that cluster if it is not watched already.
   */
  Known lookup(MemberCluster member, ResourceRef ref) {
    if (closed) {
      return null;
    }
    ClusterObjects known = clusters.get(member.name());
    if (known != null && known.member == member) {
      return known.lookup(ref); // the common case, without locking the map
    }
    ClusterObjects c =
        clusters.compute(
            member.name(),
            (name, existing) -> {
              if (existing != null && existing.member == member) {
                return existing;
              }
              if (existing != null) {
                existing.close(); // reconnected with new credentials: start over
              }
              return new ClusterObjects(member);
            });
    return c.lookup(ref);
  }

  /**
   * Records what an apply answered, so that lookups see it before the member's watch delivers it.
   * Whichever of the apply's answer and the watch's events is newest (by resourceVersion) is kept,
   * in whatever order they arrive: older events still in flight when the apply was made do not take
   * it back, and an event newer than the answer (a status update that overtook it) is not lost.
   */
  void applied(MemberCluster member, ObjectNode live) {
    ClusterObjects c = clusters.get(member.name());
    if (c == null || c.member != member) {
      return;
    }
    KindObjects k = c.kinds.get(kindKey(Meta.apiVersion(live), Meta.kind(live)));
    if (k != null) {
      k.applied(live);
    }
  }

  /** Stops watching a cluster that left the fleet. */
  void forget(String cluster) {
    ClusterObjects c = clusters.remove(cluster);
    if (c != null) {
      c.close();
    }
  }

  /** The listener of a watched kind on a cluster, or null (tests deliver events through it). */
  MemberEventListener listener(String cluster, String apiVersion, String kind) {
    ClusterObjects c = clusters.get(cluster);
    return c == null ? null : c.kinds.get(kindKey(apiVersion, kind));
  }

  /** How many objects are cached, over all clusters and kinds (for tests and metrics). */
  int size() {
    return clusters.values().stream()
        .flatMap(c -> c.kinds.values().stream())
        .mapToInt(k -> k.objects.size())
        .sum();
  }

  @Override
  public void close() {
    closed = true;
    clusters.values().forEach(ClusterObjects::close);
    clusters.clear();
  }

  private final class ClusterObjects {
    final MemberCluster member;
    final Map<String, KindObjects> kinds = new ConcurrentHashMap<>();

    ClusterObjects(MemberCluster member) {
      this.member = member;
    }

    Known lookup(ResourceRef ref) {
      KindObjects k =
          kinds.computeIfAbsent(
              kindKey(ref.apiVersion(), ref.kind()), key -> new KindObjects(member, ref));
      return k.lookup(ref);
    }

    void close() {
      kinds.values().forEach(KindObjects::close);
      kinds.clear();
    }
  }

  private final class KindObjects implements MemberEventListener {
    final String cluster;
    final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    // resourceVersions of recent deletions, so that an apply's answer older than one is not taken
    final Map<String, Long> deletions = new ConcurrentHashMap<>();
    final MemberWatch watch;
    // an error since the last event: the watch may have missed changes until it lists again
    volatile boolean doubtful;
    volatile boolean closed;
    // System.nanoTime() of the last lookup, for dropIdle
    volatile long lastLookup = System.nanoTime();

    KindObjects(MemberCluster member, ResourceRef ref) {
      this.cluster = member.name();
      MemberWatch w;
      try {
        w = member.watch(WatchTarget.allNamespaces(ref.apiVersion(), ref.kind()), this);
      } catch (MemberException e) {
        LOG.debug("cannot watch {} on {}: {}", ref.kind(), cluster, e.getMessage());
        w = null; // closed member: lookups say "don't know"
      }
      this.watch = w;
    }

    Known lookup(ResourceRef ref) {
      lastLookup = System.nanoTime();
      if (watch == null || closed || doubtful || !watch.isSynced()) {
        return null;
      }
      return new Known(objects.get(key(ref.namespace(), ref.name())));
    }

    void applied(ObjectNode live) {
      long rv = resourceVersion(live);
      if (rv < 0) {
        return;
      }
      // a newer event may have arrived while the apply's answer was on its way: keep the newest
      // (or a deletion did: then the object is gone, whatever the answer said)
      objects.compute(
          key(Meta.namespace(live), Meta.name(live)),
          (k, cached) -> {
            if (cached != null) {
              return resourceVersion(cached) >= rv ? cached : live;
            }
            Long deletedAt = deletions.get(k);
            return deletedAt != null && deletedAt > rv ? null : live;
          });
    }

    @Override
    public void onEvent(MemberEvent event) {
      doubtful = false;
      ObjectNode o = event.object();
      String key = key(Meta.namespace(o), Meta.name(o));
      boolean ours = MemberManifest.isManagedByMeridian(o);
      long rv = resourceVersion(o);
      boolean deleted = event.type() == MemberEvent.Type.DELETED;
      // events arrive in order; only an apply's answer (recorded meanwhile) can be newer than one
      boolean[] stale = {false};
      objects.compute(
          key,
          (k, cached) -> {
            if (cached != null && rv >= 0 && resourceVersion(cached) > rv) {
              stale[0] = true;
              return cached;
            }
            if (deleted) {
              deletions.put(k, rv);
              return null;
            }
            deletions.remove(k);
            return ours ? o : stub(o);
          });
      if (deleted && deletions.size() > MAX_DELETIONS) {
        deletions.clear(); // only an apply in flight right now could still need one
      }
      if (stale[0]) {
        return;
      }
      if (ours) {
        String binding = Meta.annotations(o).get(MemberManifest.BINDING_ANNOTATION);
        int slash = binding == null ? -1 : binding.indexOf('/');
        if (slash > 0) {
          onChange.accept(binding + "-" + cluster);
        }
      }
    }

    @Override
    public void onError(MemberException error) {
      doubtful = true;
    }

    void close() {
      closed = true; // a lookup that raced with dropIdle asks the member instead
      if (watch != null) {
        watch.close();
      }
    }
  }

  /** An object that is not Meridian's: only that it exists matters. */
  private static ObjectNode stub(ObjectNode o) {
    ObjectNode s = ResourceCodec.newObject();
    s.put("apiVersion", Meta.apiVersion(o)).put("kind", Meta.kind(o));
    ObjectNode meta = s.putObject("metadata").put("name", Meta.name(o));
    // kept to order it against an apply's answer
    meta.put("resourceVersion", o.path("metadata").path("resourceVersion").asText(""));
    if (!Meta.namespace(o).isEmpty()) {
      meta.put("namespace", Meta.namespace(o));
    }
    return s;
  }

  /** A resourceVersion as a number (etcd's revisions are), or -1 when it is not one. */
  static long resourceVersion(ObjectNode o) {
    try {
      return Long.parseLong(o.path("metadata").path("resourceVersion").asText(""));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The key of a watched kind on a cluster. */
  private static String kindKey(String apiVersion, String kind) {
    return apiVersion + "|" + kind;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
