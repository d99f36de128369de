package dev.meridian.controllers.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.MemberEventListener;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.WatchTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EndpointSlices and Services of the member clusters, kept by one watch per member and kind
 * (all namespaces), so that the GlobalRoute controller resolves backends locally and hears of every
 * endpoint change without polling. Only what backends need is kept: a slice's service label, ports
 * and endpoints; a Service's ports.
 *
 * <p>Watches run only while some GlobalRoute exists (the controller starts them per cluster as it
 * resolves routes, and stops them all when the last route goes). What a cluster's cache says is
 * unknown until both its initial lists arrived; after that, a member that becomes unreachable keeps
 * its last known endpoints (the gateway is told the cluster is not ready through {@code
 * clusterReady}, and its own health checks decide).
 */
final class MemberEndpoints implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberEndpoints.class);
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  /** Told which Service's endpoints or ports changed on which cluster; called on watch threads. */
  interface Listener {
    void changed(String cluster, String namespace, String service);
  }

  private final Listener listener;
  private final Map<String, Watched> clusters = new ConcurrentHashMap<>();
  private volatile boolean closed;

  MemberEndpoints(Listener listener) {
    this.listener = listener;
  }

  /** Starts watching {@code member} unless it is watched already (restarts on a new connection). */
  void watch(MemberCluster member) {
    if (closed) {
      return;
    }
    Watched known = clusters.get(member.name());
    if (known != null && known.member == member) {
      return;
    }
    clusters.compute(
        member.name(),
        (name, existing) -> {
          if (existing != null && existing.member == member) {
            return existing;
          }
          if (existing != null) {
            existing.close();
          }
          return new Watched(member);
        });
  }

  /** Stops watching a cluster that left the fleet. */
  void forget(String cluster) {
    Watched w = clusters.remove(cluster);
    if (w != null) {
      w.close();
    }
  }

  /** Stops every watch (no GlobalRoute is left). */
  void stopAll() {
    for (String name : Set.copyOf(clusters.keySet())) {
      forget(name);
    }
  }

  /** How many clusters are watched (for tests). */
  int watchedClusters() {
    return clusters.size();
  }

  /** Whether both initial lists of {@code cluster} arrived. */
  boolean synced(String cluster) {
    Watched w = clusters.get(cluster);
    return w != null && w.slices.synced() && w.services.synced();
  }

  /** The Service's ports ({@code spec.ports}) on that cluster, if it has the Service. */
  Optional<JsonNode> servicePorts(String cluster, String namespace, String name) {
    Watched w = clusters.get(cluster);
    return w == null
        ? Optional.empty()
        : Optional.ofNullable(w.services.objects.get(namespace + "/" + name))
            .map(s -> s.path("spec").path("ports"));
  }

  /** The EndpointSlices of the Service on that cluster (label {@value #SERVICE_NAME_LABEL}). */
  List<ObjectNode> slices(String cluster, String namespace, String service) {
    Watched w = clusters.get(cluster);
    List<ObjectNode> out = new ArrayList<>();
    if (w != null) {
      for (ObjectNode s : w.slices.objects.values()) {
        if (Meta.namespace(s).equals(namespace) && serviceOf(s).equals(service)) {
          out.add(s);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    stopAll();
  }

  private static String serviceOf(ObjectNode slice) {
    return Meta.labels(slice).getOrDefault(SERVICE_NAME_LABEL, "");
  }

  private final class Watched {
    final MemberCluster member;
    final Kind slices;
    final Kind services;

    Watched(MemberCluster member) {
      this.member = member;
      this.slices = new Kind(member, "discovery.k8s.io/v1", "EndpointSlice");
      this.services = new Kind(member, "v1", "Service");
    }

    void close() {
      slices.close();
      services.close();
    }
  }

  private final class Kind implements MemberEventListener {
    final String cluster;
    final boolean slice;
    final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    final MemberWatch watch;

    Kind(MemberCluster member, String apiVersion, String kind) {
      this.cluster = member.name();
      this.slice = kind.equals("EndpointSlice");
      MemberWatch w;
      try {
        w = member.watch(WatchTarget.allNamespaces(apiVersion, kind), this);
      } catch (MemberException e) {
        LOG.debug("cannot watch {} on {}: {}", kind, cluster, e.getMessage());
        w = null;
      }
      this.watch = w;
    }

    boolean synced() {
      return watch != null && watch.isSynced();
    }

    @Override
    public void onEvent(MemberEvent event) {
      ObjectNode o = event.object();
      String key = Meta.namespace(o) + "/" + Meta.name(o);
      ObjectNode before =
          event.type() == MemberEvent.Type.DELETED
              ? objects.remove(key)
              : objects.put(key, slice ? sliceParts(o) : serviceParts(o));
      ObjectNode after = objects.get(key);
      if (before != null && after != null && before.equals(after)) {
        return; // a change to something backends do not read
      }
      String ns = Meta.namespace(o);
      if (slice) {
        // a slice that moved to another Service changes both
        for (ObjectNode s : new ObjectNode[] {before, after}) {
          if (s != null && !serviceOf(s).isEmpty()) {
            listener.changed(cluster, ns, serviceOf(s));
          }
        }
      } else {
        listener.changed(cluster, ns, Meta.name(o));
      }
    }

    @Override
    public void onError(MemberException error) {
      LOG.debug("watch on {}: {}", cluster, error.getMessage());
    }

    void close() {
      if (watch != null) {
        watch.close();
      }
    }
  }

  private static ObjectNode sliceParts(ObjectNode s) {
    ObjectNode out = header(s);
    Meta.metadata(out).putObject("labels").put(SERVICE_NAME_LABEL, serviceOf(s));
    copy(s, out, "ports");
    copy(s, out, "endpoints");
    return out;
  }

  private static ObjectNode serviceParts(ObjectNode s) {
    ObjectNode out = header(s);
    copy(s.path("spec"), out.putObject("spec"), "ports");
    return out;
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field).deepCopy());
    }
  }

  private static ObjectNode header(ObjectNode o) {
    ObjectNode out = ResourceCodec.newObject();
    out.put("apiVersion", Meta.apiVersion(o)).put("kind", Meta.kind(o));
    Meta.metadata(out).put("name", Meta.name(o)).put("namespace", Meta.namespace(o));
    return out;
  }
}
