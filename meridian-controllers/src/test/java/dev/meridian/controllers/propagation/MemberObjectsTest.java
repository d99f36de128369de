package dev.meridian.controllers.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.controllers.propagation.render.MemberManifest;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.ResourceRef;
import dev.meridian.members.simulated.SimulatedMember;
import dev.meridian.members.simulated.SimulatedMembers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemberObjectsTest {
  final SimulatedMembers sims = SimulatedMembers.create();
  final SimulatedMember eu =
      sims.create("eu", new Cluster.Simulated(null, 5, null, null, null), null, null);
  final List<String> changed = new CopyOnWriteArrayList<>();
  final MemberObjects cache = new MemberObjects(changed::add);

  static final ResourceRef WEB = new ResourceRef("v1", "ConfigMap", "default", "web");

  @AfterEach
  void close() {
    cache.close();
    sims.close();
  }

  static ObjectNode configMap(String name, boolean ours, String value) throws Exception {
    ObjectNode cm =
        (ObjectNode)
            ResourceCodec.JSON.readTree(
                """
                {"apiVersion":"v1","kind":"ConfigMap",
                 "metadata":{"name":"%s","namespace":"default"},"data":{"k":"%s"}}"""
                    .formatted(name, value));
    if (ours) {
      ObjectNode meta = (ObjectNode) cm.get("metadata");
      meta.putObject("labels").put(MemberManifest.MANAGED_LABEL, "true");
      meta.putObject("annotations").put(MemberManifest.BINDING_ANNOTATION, "default/web-configmap");
    }
    return cm;
  }

  static void await(String what, BooleanSupplier ok) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void cannotTellUntilTheKindIsListedThenFollowsTheMember() throws Exception {
    // Given: the first lookup starts the watch and cannot tell yet
    assertThat(cache.lookup(eu, WEB)).isNull();
    await("synced", () -> cache.lookup(eu, WEB) != null);
    assertThat(cache.lookup(eu, WEB).object()).isEmpty();
    // When: Meridian's object appears on the member
    eu.apply(configMap("web", true, "1"));
    // Then: the cache has it whole, and its Work is told
    await("seen", () -> cache.lookup(eu, WEB).object().isPresent());
    assertThat(cache.lookup(eu, WEB).live().at("/data/k").asText()).isEqualTo("1");
    await("reported", () -> changed.contains("default/web-configmap-eu"));
    // and a deletion on the member is seen too
    eu.delete(WEB);
    await("gone", () -> cache.lookup(eu, WEB).object().isEmpty());
  }

  @Test
  void keepsOnlyTheNameOfObjectsThatAreNotMeridians() throws Exception {
    // Given
    cache.lookup(eu, WEB);
    await("synced", () -> cache.lookup(eu, WEB) != null);
    // When: someone else creates an object of the same name
    eu.apply(configMap("web", false, "theirs"));
    // Then: it exists, not as Meridian's, and no Work is told
    await("seen", () -> cache.lookup(eu, WEB).object().isPresent());
    ObjectNode seen = cache.lookup(eu, WEB).live();
    assertThat(MemberManifest.isManagedByMeridian(seen)).isFalse();
    assertThat(seen.has("data")).isFalse();
    assertThat(changed).isEmpty();
  }

  @Test
  void anApplysAnswerWinsOverOlderEventsStillInFlight() throws Exception {
    // Given: a synced cache holding version 1, on a member whose events take 300 ms to arrive
    SimulatedMember eu =
        sims.create("far", new Cluster.Simulated(null, 300, null, null, null), null, null);
    cache.lookup(eu, WEB);
    await("synced", () -> cache.lookup(eu, WEB) != null);
    eu.apply(configMap("web", true, "1"));
    await("v1", () -> cache.lookup(eu, WEB).object().isPresent());
    // When: version 2 is applied, and its answer recorded before the watch delivers it
    ObjectNode v2 = eu.apply(configMap("web", true, "2")).object();
    cache.applied(eu, v2);
    // Then: lookups see version 2 at once
    assertThat(cache.lookup(eu, WEB).live().at("/data/k").asText()).isEqualTo("2");
    // and an older event (version 1 again, as if delayed) does not take it back
    ObjectNode older = v2.deepCopy();
    ((ObjectNode) older.get("metadata"))
        .put("resourceVersion", Long.toString(MemberObjects.resourceVersion(v2) - 1));
    ((ObjectNode) older.get("data")).put("k", "1");
    cache
        .listener("far", "v1", "ConfigMap")
        .onEvent(new MemberEvent(MemberEvent.Type.MODIFIED, older));
    assertThat(cache.lookup(eu, WEB).live().at("/data/k").asText()).isEqualTo("2");
    // nor does an older deletion
    cache
        .listener("far", "v1", "ConfigMap")
        .onEvent(new MemberEvent(MemberEvent.Type.DELETED, older));
    assertThat(cache.lookup(eu, WEB).object()).isPresent();
    // while newer events count: a deletion on the member
    eu.delete(WEB);
    await("deleted", () -> cache.lookup(eu, WEB).object().isEmpty());
  }

  static ObjectNode at(ObjectNode o, long resourceVersion, String value) {
    ObjectNode copy = o.deepCopy();
    ((ObjectNode) copy.get("metadata")).put("resourceVersion", Long.toString(resourceVersion));
    ((ObjectNode) copy.get("data")).put("k", value);
    return copy;
  }

  @Test
  void anEventThatOvertookTheApplysAnswerIsNotTakenBack() throws Exception {
    // Given: a synced cache holding Meridian's object
    cache.lookup(eu, WEB);
    await("synced", () -> cache.lookup(eu, WEB) != null);
    ObjectNode v1 = eu.apply(configMap("web", true, "1")).object();
    await("v1", () -> cache.lookup(eu, WEB).object().isPresent());
    long rv = MemberObjects.resourceVersion(v1);
    // When: the member's next change (say, its status) is delivered before the answer of the
    // apply that preceded it is recorded
    changed.clear();
    cache
        .listener("eu", "v1", "ConfigMap")
        .onEvent(new MemberEvent(MemberEvent.Type.MODIFIED, at(v1, rv + 2, "status")));
    cache.applied(eu, at(v1, rv + 1, "applied"));
    // Then: the newer event stays, and its Work was told
    assertThat(cache.lookup(eu, WEB).live().at("/data/k").asText()).isEqualTo("status");
    assertThat(changed).contains("default/web-configmap-eu");
  }

  @Test
  void aDeletionThatOvertookTheApplysAnswerIsNotTakenBack() throws Exception {
    // Given
    cache.lookup(eu, WEB);
    await("synced", () -> cache.lookup(eu, WEB) != null);
    ObjectNode v1 = eu.apply(configMap("web", true, "1")).object();
    await("v1", () -> cache.lookup(eu, WEB).object().isPresent());
    long rv = MemberObjects.resourceVersion(v1);
    // When: someone deletes the object right after an apply, and the deletion arrives first
    cache
        .listener("eu", "v1", "ConfigMap")
        .onEvent(new MemberEvent(MemberEvent.Type.DELETED, at(v1, rv + 2, "1")));
    cache.applied(eu, at(v1, rv + 1, "applied"));
    // Then: the object is gone as far as the cache knows
    assertThat(cache.lookup(eu, WEB).object()).isEmpty();
    // while a later apply (re-creating it) counts
    cache.applied(eu, at(v1, rv + 3, "re-created"));
    assertThat(cache.lookup(eu, WEB).live().at("/data/k").asText()).isEqualTo("re-created");
  }

  @Test
  void aDeletionFoundOnAReListCountsWhateverVersionWasCached() throws Exception {
    // Given: the cache holds an apply's answer the watch never delivered
    cache.lookup(eu, WEB);
    await("synced", () -> cache.lookup(eu, WEB) != null);
    ObjectNode v1 = eu.apply(configMap("web", true, "1")).object();
    await("v1", () -> cache.lookup(eu, WEB).object().isPresent());
    cache.applied(eu, at(v1, MemberObjects.resourceVersion(v1) + 5, "applied"));
    // When: the watch, listing again after a gap, finds the object gone: the version it was
    // deleted at is unknown, so the event carries none
    ObjectNode gone = v1.deepCopy();
    ((ObjectNode) gone.get("metadata")).remove("resourceVersion");
    cache
        .listener("eu", "v1", "ConfigMap")
        .onEvent(new MemberEvent(MemberEvent.Type.DELETED, gone));
    // Then
    assertThat(cache.lookup(eu, WEB).object()).isEmpty();
  }

  @Test
  void aSimulatedClusterTellsDeletionsFoundOnAReListWithoutAVersion() throws Exception {
    // Given: Meridian's object seen on a member whose events take 300 ms to arrive
    SimulatedMember eu =
        sims.create("far", new Cluster.Simulated(null, 300, null, null, null), null, null);
    List<MemberEvent> events = new CopyOnWriteArrayList<>();
    dev.meridian.members.MemberWatch w =
        eu.watch(
            dev.meridian.members.WatchTarget.allNamespaces("v1", "ConfigMap"),
            new dev.meridian.members.MemberEventListener() {
              @Override
              public void onEvent(MemberEvent e) {
                events.add(e);
              }

              @Override
              public void onError(dev.meridian.members.MemberException e) {}
            });
    await("listed", w::isSynced);
    eu.apply(configMap("web", true, "1"));
    await("seen", () -> !events.isEmpty());
    // When: the object is deleted, and the connection drops before the deletion's event arrives
    // and then comes back
    eu.delete(WEB);
    eu.fail();
    eu.recover();
    // Then: the deletion comes on the re-list, without a version
    await("deleted", () -> events.stream().anyMatch(e -> e.type() == MemberEvent.Type.DELETED));
    MemberEvent deleted =
        events.stream().filter(e -> e.type() == MemberEvent.Type.DELETED).findFirst().get();
    assertThat(deleted.object().path("metadata").has("resourceVersion")).isFalse();
    w.close();
  }

  @Test
  void stopsWatchingKindsNoLongerLookedUpAndStartsAgainWhenNeeded() throws Exception {
    // Given: ConfigMaps watched on a cluster, with one object cached
    cache.lookup(eu, WEB);
    await("synced", () -> cache.lookup(eu, WEB) != null);
    eu.apply(configMap("web", true, "1"));
    await("seen", () -> cache.lookup(eu, WEB).object().isPresent());
    // When: a while passes without a lookup of that kind
    Thread.sleep(50);
    assertThat(cache.dropIdle(Duration.ofSeconds(10))).as("not idle long enough").isZero();
    assertThat(cache.dropIdle(Duration.ofMillis(20))).isEqualTo(1);
    // Then: the watch and what it held are gone
    assertThat(cache.size()).isZero();
    assertThat(cache.listener("eu", "v1", "ConfigMap")).isNull();
    // and the next lookup starts it again, from a fresh list
    assertThat(cache.lookup(eu, WEB)).isNull();
    await("synced again", () -> cache.lookup(eu, WEB) != null);
    assertThat(cache.lookup(eu, WEB).live().at("/data/k").asText()).isEqualTo("1");
  }

  @Test
  void startsOverWhenTheMemberIsReplacedAndStopsWhenForgotten() throws Exception {
    // Given
    cache.lookup(eu, WEB);
    await("synced", () -> cache.lookup(eu, WEB) != null);
    eu.apply(configMap("web", true, "1"));
    await("seen", () -> cache.size() == 1);
    // When: the cluster reconnects (a new member object under the same name)
    eu.close();
    SimulatedMember again =
        sims.create("eu", new Cluster.Simulated(null, 5, null, null, null), null, null);
    // Then: the new member's (empty) objects are what counts: right away the cache cannot tell,
    // or (when the new member's list already arrived, as on a loaded machine) tells its absence;
    // never the old member's object
    MemberObjects.Known first = cache.lookup(again, WEB);
    assertThat(first == null || first.object().isEmpty()).as("%s", first).isTrue();
    await("synced again", () -> cache.lookup(again, WEB) != null);
    assertThat(cache.lookup(again, WEB).object()).isEmpty();
    // and forgetting the cluster drops what was cached
    cache.forget("eu");
    assertThat(cache.size()).isZero();
  }
}
