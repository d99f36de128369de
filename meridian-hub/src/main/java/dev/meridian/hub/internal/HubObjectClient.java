package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.controllers.ObjectClient;
import dev.meridian.controllers.ObjectConflictException;
import dev.meridian.controllers.ObjectNotFoundException;
import dev.meridian.hub.ApiException;
import dev.meridian.hub.FieldSelector;
import dev.meridian.hub.ResourceService;
import dev.meridian.store.Watch;
import dev.meridian.store.WatchEvent;
import dev.meridian.store.WatchListener;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The controllers' view of the hub's objects, in-process, with the API's rules. */
public final class HubObjectClient implements ObjectClient {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(HubObjectClient.class);
  private final ResourceService service;
  private final int backlog;

  public HubObjectClient(ResourceService service) {
    this(service, CONTROLLER_BACKLOG);
  }

  /**
   * @param backlog events a controller's watch may fall behind before the store ends it (and the
   *     watch lists again)
   */
  HubObjectClient(ResourceService service, int backlog) {
    this.service = service;
    this.backlog = backlog;
  }

  @Override
  public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    return service.get(type, namespace, name);
  }

  @Override
  public Optional<ObjectNode> getStatus(ResourceType type, String namespace, String name) {
    return service.getStatus(type, namespace, name);
  }

  @Override
  public List<ObjectNode> list(ResourceType type, String namespace) {
    return service
        .list(type, namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING)
        .items();
  }

  @Override
  public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
    return translate(() -> service.create(type, namespace, object.deepCopy(), false));
  }

  @Override
  public ObjectNode update(ResourceType type, String namespace, ObjectNode object) {
    return translate(
        () -> service.update(type, namespace, Meta.name(object), object.deepCopy(), false));
  }

  @Override
  public ObjectNode updateStatus(ResourceType type, String namespace, ObjectNode object) {
    return translate(
        () -> service.updateStatus(type, namespace, Meta.name(object), object.deepCopy(), false));
  }

  @Override
  public void delete(ResourceType type, String namespace, String name) {
    translate(() -> service.delete(type, namespace, name, "", false));
  }

  @Override
  public AutoCloseable watch(ResourceType type, ObjectListener listener) {
    HealingWatch w = new HealingWatch(type, listener, null);
    w.start();
    return w;
  }

  @Override
  public AutoCloseable watchMetadata(ResourceType type, ObjectListener listener) {
    HealingWatch w = new HealingWatch(type, listener, ResourceCodec.METADATA_FIELDS);
    w.start();
    return w;
  }

  /** Events a controller's watch may fall behind before the store ends it. */
  static final int CONTROLLER_BACKLOG = 100_000;

  /** Re-lists, one at a time, the watches the store ended; never on the store's delivery thread. */
  private static final java.util.concurrent.ExecutorService RELISTS =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "hub-watch-relist");
            t.setDaemon(true);
            return t;
          });

  /**
   * A watch as an informer keeps one: when the store ends it (the listener fell too far behind, as
   * under a burst of writes on a busy machine), it lists again and watches on from there. The
   * listener then gets every object again (ADDED or MODIFIED) and a DELETED for each one that went
   * away meanwhile, so nothing that happened while it was not watching is lost.
   */
  private final class HealingWatch implements AutoCloseable {
    private final ResourceType type;
    private final ObjectListener listener;
    // the top-level fields the listener gets; null for whole objects
    private final java.util.Set<String> fields;
    // NAMESPACE/NAME of what the listener was last told exists
    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Watch current;
    private volatile boolean closed;

    HealingWatch(ResourceType type, ObjectListener listener, java.util.Set<String> fields) {
      this.type = type;
      this.listener = listener;
      this.fields = fields;
    }

    private ObjectNode decode(dev.meridian.store.KeyValue kv) {
      return fields == null ? ResourceService.decode(kv) : ResourceService.decode(kv, fields);
    }

    void start() {
      ResourceService.ObjectList initial =
          service.list(type, "", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);
      // what the list holds is told first, then what changed after it (the watch replays from the
      // list's revision): the listener sees each object's versions in order, never an event of
      // the watch before an older version from the list
      java.util.Set<String> gone = new java.util.HashSet<>(known);
      for (ObjectNode o : initial.items()) {
        String key = key(o);
        gone.remove(key);
        deliver(
            known.contains(key) ? ObjectEventType.MODIFIED : ObjectEventType.ADDED,
            fields == null ? o : ResourceCodec.onlyFields(o, fields));
      }
      for (String key : gone) {
        ObjectNode stub = ResourceCodec.newObject();
        stub.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        int slash = key.indexOf('/');
        ObjectNode meta = stub.putObject("metadata").put("name", key.substring(slash + 1));
        if (slash > 0) {
          meta.put("namespace", key.substring(0, slash));
        }
        deliver(ObjectEventType.DELETED, stub);
      }
      Watch w =
          service
              .store()
              .watch(
                  ResourceService.prefix(type, ""),
                  initial.revision() + 1,
                  new WatchListener() {
                    @Override
                    public void onEvent(WatchEvent e) {
                      if (e.type() == WatchEvent.Type.DELETE) {
                        deliver(ObjectEventType.DELETED, decode(e.prevKv()));
                      } else {
                        deliver(
                            e.prevKv() == null ? ObjectEventType.ADDED : ObjectEventType.MODIFIED,
                            decode(e.kv()));
                      }
                    }

                    @Override
                    public int maxBacklog() {
                      // a controller would rather be late than list every object again under a
                      // burst of writes (a remote watcher gets the store's smaller default)
                      return backlog;
                    }

                    @Override
                    public void onError(dev.meridian.store.StoreException error) {
                      if (!closed) {
                        LOG.info(
                            "watch of {} ended ({}); listing again",
                            type.plural(),
                            error.getMessage());
                        RELISTS.execute(HealingWatch.this::restart);
                      }
                    }
                  });
      synchronized (this) {
        if (closed) {
          w.close();
          return;
        }
        current = w;
      }
    }

    private void restart() {
      try {
        if (!closed) {
          start();
        }
      } catch (RuntimeException e) {
        LOG.warn("listing {} again failed: {}; retrying in 1 s", type.plural(), e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        RELISTS.execute(this::restart);
      }
    }

    private void deliver(ObjectEventType t, ObjectNode o) {
      if (closed) {
        return;
      }
      if (t == ObjectEventType.DELETED) {
        known.remove(key(o));
      } else {
        known.add(key(o));
      }
      listener.onChange(t, o);
    }

    private String key(ObjectNode o) {
      return Meta.namespace(o) + "/" + Meta.name(o);
    }

    @Override
    public void close() {
      Watch w;
      synchronized (this) {
        closed = true;
        w = current;
      }
      if (w != null) {
        w.close();
      }
    }
  }

  private static ObjectNode translate(Supplier<ObjectNode> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      if (e.code() == 409) {
        throw new ObjectConflictException(e.getMessage());
      }
      if (e.code() == 404) {
        throw new ObjectNotFoundException(e.getMessage());
      }
      throw e;
    }
  }
}
