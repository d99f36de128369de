package dev.meridian.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.controllers.ObjectClient.ObjectEventType;
import dev.meridian.hub.ResourceService;
import dev.meridian.store.embedded.EmbeddedStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controllers' watches survive the store ending them, as an informer's do. */
class HubObjectClientWatchTest {
  @TempDir Path dir;
  EmbeddedStore store;
  ResourceService service;
  HubObjectClient client;
  ResourceType configMaps;

  @BeforeEach
  void open() {
    // a store that ends any watch whose listener falls 5 events behind
    store =
        EmbeddedStore.open(
            dir, EmbeddedStore.Options.defaults().withFsync(false).withWatchQueueCapacity(5));
    service = new ResourceService(store, ResourceTypes.standard(), Clock.systemUTC());
    client = new HubObjectClient(service, 5);
    configMaps = service.types().byKind("v1", "ConfigMap").orElseThrow();
    ObjectNode ns = ResourceCodec.newObject();
    ns.put("apiVersion", "v1").put("kind", "Namespace");
    ns.putObject("metadata").put("name", "default");
    client.create(ResourceTypes.NAMESPACE, "", ns);
  }

  @AfterEach
  void close() {
    store.close();
  }

  ObjectNode configMap(String name) {
    ObjectNode cm = ResourceCodec.newObject();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata").put("name", name).put("namespace", "default");
    return cm;
  }

  static void await(String what, BooleanSupplier ok) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aListenerThatFellBehindIsToldEverythingItMissed() throws Exception {
    // Given: a watch whose listener is stuck on its first event, and an object it knows of
    client.create(configMaps, "default", configMap("kept"));
    client.create(configMaps, "default", configMap("removed"));
    CountDownLatch stuck = new CountDownLatch(1);
    Map<String, ObjectEventType> last = new ConcurrentHashMap<>();
    AutoCloseable watch =
        client.watch(
            configMaps,
            (type, o) -> {
              last.put(Meta.name(o), type);
              if (Meta.name(o).equals("first-new")) {
                try {
                  stuck.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    await("initial list", () -> last.size() == 2);
    // When: many writes arrive while it is stuck (the store ends the watch), one of them a delete
    client.create(configMaps, "default", configMap("first-new"));
    for (int i = 0; i < 20; i++) {
      client.create(configMaps, "default", configMap("new-" + i));
    }
    client.delete(configMaps, "default", "removed");
    stuck.countDown();
    // Then: it lists again and learns of every object created, and of the one deleted
    await("all new objects", () -> last.keySet().containsAll(java.util.List.of("new-0", "new-19")));
    await("the deletion", () -> last.get("removed") == ObjectEventType.DELETED);
    assertThat(last.get("kept")).isIn(ObjectEventType.ADDED, ObjectEventType.MODIFIED);
    // and it keeps watching after that
    client.create(configMaps, "default", configMap("later"));
    await("a later object", () -> last.get("later") == ObjectEventType.ADDED);
    watch.close();
  }

  @Test
  void aMetadataWatchDeliversOnlyTheMetadata() throws Exception {
    // Given
    ObjectNode big = configMap("big");
    big.putObject("data").put("payload", "x".repeat(10_000));
    client.create(configMaps, "default", big);
    Map<String, ObjectNode> seen = new ConcurrentHashMap<>();
    // When
    try (AutoCloseable watch =
        client.watchMetadata(configMaps, (type, o) -> seen.put(Meta.name(o), o))) {
      client.create(configMaps, "default", configMap("later"));
      await("both", () -> seen.size() == 2);
    }
    // Then: names, versions and labels are there; the data is not
    for (ObjectNode o : seen.values()) {
      assertThat(o.path("kind").asText()).isEqualTo("ConfigMap");
      assertThat(o.path("metadata").path("resourceVersion").asText()).isNotEmpty();
      assertThat(o.has("data")).isFalse();
    }
  }

  @Test
  void aChangeAfterTheListIsToldAfterTheListNotBeforeIt() throws Exception {
    // Given: an object, and a listener still busy with it when the watch starts
    client.create(configMaps, "default", configMap("x"));
    CountDownLatch inList = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    java.util.List<ObjectEventType> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<AutoCloseable> watch =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread starter =
        new Thread(
            () ->
                watch.set(
                    client.watch(
                        configMaps,
                        (type, o) -> {
                          if (type == ObjectEventType.ADDED && told.isEmpty()) {
                            inList.countDown();
                            try {
                              release.await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                          }
                          told.add(type); // recorded once handled
                        })));
    starter.start();
    assertThat(inList.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    // When: the object is deleted while the list is being handed over
    client.delete(configMaps, "default", "x");
    Thread.sleep(300);
    release.countDown();
    // Then: the listener learns of it in order: it existed, then it was deleted
    await("the deletion", () -> told.contains(ObjectEventType.DELETED));
    assertThat(told).containsExactly(ObjectEventType.ADDED, ObjectEventType.DELETED);
    starter.join();
    watch.get().close();
  }
}
