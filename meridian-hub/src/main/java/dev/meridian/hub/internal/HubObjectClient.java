package dev.meridian.hub.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.LabelSelector;
import dev.meridian.api.Meta;
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
  private final ResourceService service;

  public HubObjectClient(ResourceService service) {
    this.service = service;
  }

  @Override
  public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    return service.get(type, namespace, name);
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
    ResourceService.ObjectList initial =
        service.list(type, "", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);
    Watch watch =
        service
            .store()
            .watch(
                ResourceService.prefix(type, ""),
                initial.revision() + 1,
                new WatchListener() {
                  @Override
                  public void onEvent(WatchEvent e) {
                    if (e.type() == WatchEvent.Type.DELETE) {
                      listener.onChange(
                          ObjectEventType.DELETED, ResourceService.decode(e.prevKv()));
                    } else {
                      listener.onChange(
                          e.prevKv() == null ? ObjectEventType.ADDED : ObjectEventType.MODIFIED,
                          ResourceService.decode(e.kv()));
                    }
                  }
                });
    initial.items().forEach(o -> listener.onChange(ObjectEventType.ADDED, o));
    return watch;
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
