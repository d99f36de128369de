package dev.meridian.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ResourceCodec;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MemberCluster} must do, whatever is behind it. Extend it once per
 * implementation and say how to make a member; tests use unique names, so members may share one
 * real cluster.
 */
public abstract class MemberClusterContractTest {
  private static final AtomicInteger SEQ = new AtomicInteger();

  protected MemberCluster member;

  /** A new member, open, connected to a cluster that has the namespace {@code default}. */
  protected abstract MemberCluster newMember();

  /** How long a watch may take to report a change. */
  protected Duration eventTimeout() {
    return Duration.ofSeconds(15);
  }

  @BeforeEach
  void openMember() {
    member = newMember();
  }

  @AfterEach
  void closeMember() {
    if (member != null) {
      member.close();
    }
  }

  protected static String unique(String prefix) {
    return prefix
        + "-"
        + SEQ.incrementAndGet()
        + "-"
        + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
  }

  protected static ObjectNode yaml(String text) {
    return ResourceCodec.readDocuments(text).get(0);
  }

  protected static ObjectNode configMap(String name, String value) {
    return yaml(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: default, labels: {test: contract}}
        data: {key: "%s"}
        """
            .formatted(name, value));
  }

  protected static ObjectNode deployment(String name, int replicas, String image) {
    return yaml(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: default}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - name: web
                image: %s
                resources: {requests: {cpu: 100m, memory: 64Mi}}
        """
            .formatted(name, replicas, name, name, image));
  }

  private static ResourceRef cmRef(String name) {
    return new ResourceRef("v1", "ConfigMap", "default", name);
  }

  @Test
  void applyCreatesTheObjectAndReturnsItLive() {
    // Given
    String name = unique("cm");

    // When
    ApplyResult result = member.apply(configMap(name, "one"));

    // Then
    ObjectNode live = result.object();
    assertThat(Meta.name(live)).isEqualTo(name);
    assertThat(Meta.namespace(live)).isEqualTo("default");
    assertThat(Meta.uid(live)).isNotEmpty();
    assertThat(result.resourceVersion()).isNotEmpty();
    assertThat(live.path("metadata").path("creationTimestamp").asText()).isNotEmpty();
    assertThat(live.path("data").path("key").asText()).isEqualTo("one");
    assertThat(member.get(cmRef(name)))
        .get()
        .satisfies(
            o -> {
              assertThat(Meta.uid(o)).isEqualTo(Meta.uid(live));
              assertThat(o.path("data").path("key").asText()).isEqualTo("one");
            });
  }

  @Test
  void reapplyingTheSameManifestChangesNothing() {
    // Given
    String name = unique("cm");
    ApplyResult first = member.apply(configMap(name, "one"));

    // When
    ApplyResult again = member.apply(configMap(name, "one"));

    // Then
    assertThat(again.resourceVersion()).isEqualTo(first.resourceVersion());
    assertThat(Meta.uid(again.object())).isEqualTo(Meta.uid(first.object()));
  }

  @Test
  void applyUpdatesChangedFields() {
    // Given
    String name = unique("cm");
    ApplyResult first = member.apply(configMap(name, "one"));

    // When
    ApplyResult second = member.apply(configMap(name, "two"));

    // Then
    assertThat(second.resourceVersion()).isNotEqualTo(first.resourceVersion());
    assertThat(Meta.uid(second.object())).isEqualTo(Meta.uid(first.object()));
    assertThat(second.object().path("data").path("key").asText()).isEqualTo("two");
    assertThat(member.get(cmRef(name)).orElseThrow().path("data").path("key").asText())
        .isEqualTo("two");
  }

  @Test
  void applyBumpsTheGenerationOnlyWhenTheSpecChanges() {
    // Given
    String name = unique("web");
    ApplyResult created = member.apply(deployment(name, 2, "nginx:1.27"));

    // When
    ApplyResult same = member.apply(deployment(name, 2, "nginx:1.27"));
    ApplyResult changed = member.apply(deployment(name, 3, "nginx:1.27"));

    // Then
    assertThat(created.generation()).isEqualTo(1);
    assertThat(same.generation()).isEqualTo(1);
    assertThat(changed.generation()).isEqualTo(2);
    assertThat(changed.object().path("spec").path("replicas").asInt()).isEqualTo(3);
    member.delete(new ResourceRef("apps/v1", "Deployment", "default", name));
  }

  @Test
  void applyPutsANamespacedObjectWithoutNamespaceInTheDefaultNamespace() {
    // Given
    String name = unique("cm");
    ObjectNode manifest = configMap(name, "one");
    Meta.metadata(manifest).remove("namespace");

    // When
    ApplyResult result = member.apply(manifest);

    // Then
    assertThat(Meta.namespace(result.object())).isEqualTo("default");
    assertThat(member.get(cmRef(name))).isPresent();
  }

  @Test
  void applyIgnoresMetadataCopiedFromTheHub() {
    // Given a manifest rendered from a hub object, with the hub's bookkeeping in it
    String name = unique("cm");
    ObjectNode manifest = configMap(name, "one");
    Meta.metadata(manifest)
        .put("resourceVersion", "987654321")
        .put("uid", "00000000-0000-0000-0000-000000000001")
        .put("creationTimestamp", "2020-01-01T00:00:00Z");
    manifest.putObject("status").put("phase", "from-the-hub");

    // When
    ApplyResult result = member.apply(manifest);

    // Then
    assertThat(Meta.uid(result.object())).isNotEqualTo("00000000-0000-0000-0000-000000000001");
    assertThat(result.resourceVersion()).isNotEqualTo("987654321");
    assertThat(result.object().has("status")).isFalse();
  }

  @Test
  void applyHandlesClusterScopedKinds() {
    // Given
    String name = unique("meridian-test-role");
    ObjectNode role =
        yaml(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: %s}
            rules:
            - apiGroups: [""]
              resources: [configmaps]
              verbs: [get]
            """
                .formatted(name));
    ResourceRef ref = new ResourceRef("rbac.authorization.k8s.io/v1", "ClusterRole", "", name);

    // When
    ApplyResult result = member.apply(role);

    // Then
    assertThat(Meta.namespace(result.object())).isEmpty();
    assertThat(member.get(ref)).isPresent();
    assertThat(member.delete(ref)).isTrue();
    assertThat(member.get(ref)).isEmpty();
  }

  @Test
  void getOfAMissingObjectIsEmpty() {
    // Given
    String name = unique("absent");

    // When
    Optional<ObjectNode> got = member.get(cmRef(name));

    // Then
    assertThat(got).isEmpty();
  }

  @Test
  void deleteRemovesTheObject() {
    // Given
    String name = unique("cm");
    member.apply(configMap(name, "one"));

    // When
    boolean deleted = member.delete(cmRef(name));

    // Then
    assertThat(deleted).isTrue();
    assertThat(member.get(cmRef(name))).isEmpty();
  }

  @Test
  void deleteOfAMissingObjectReturnsFalse() {
    // Given
    String name = unique("absent");

    // When
    boolean deleted = member.delete(cmRef(name));

    // Then
    assertThat(deleted).isFalse();
  }

  @Test
  void watchDeliversTheInitialListThenEveryChange() {
    // Given an object that exists before the watch starts
    String before = unique("cm-before");
    String during = unique("cm-during");
    member.apply(configMap(before, "one"));
    RecordingListener events = new RecordingListener();

    // When
    try (MemberWatch watch =
        member.watch(WatchTarget.inNamespace("v1", "ConfigMap", "default"), events)) {
      events.await(MemberEvent.Type.ADDED, before, eventTimeout());
      member.apply(configMap(during, "one"));
      events.await(MemberEvent.Type.ADDED, during, eventTimeout());
      member.apply(configMap(during, "two"));
      member.delete(cmRef(during));

      // Then
      MemberEvent modified =
          events.await(
              MemberEvent.Type.MODIFIED,
              during,
              e -> e.object().path("data").path("key").asText().equals("two"),
              eventTimeout());
      MemberEvent deleted = events.await(MemberEvent.Type.DELETED, during, eventTimeout());
      assertThat(watch.isSynced()).isTrue();
      assertThat(watch.target().kind()).isEqualTo("ConfigMap");
      assertThat(Meta.uid(deleted.object())).isEqualTo(Meta.uid(modified.object()));
      assertThat(events.eventsFor(during))
          .extracting(MemberEvent::type)
          .containsSubsequence(
              MemberEvent.Type.ADDED, MemberEvent.Type.MODIFIED, MemberEvent.Type.DELETED);
    }
  }

  @Test
  void watchOfAllNamespacesSeesEveryNamespace() {
    // Given
    String name = unique("cm");
    RecordingListener events = new RecordingListener();

    // When
    try (MemberWatch watch = member.watch(WatchTarget.allNamespaces("v1", "ConfigMap"), events)) {
      member.apply(configMap(name, "one"));

      // Then
      MemberEvent added = events.await(MemberEvent.Type.ADDED, name, eventTimeout());
      assertThat(Meta.namespace(added.object())).isEqualTo("default");
      assertThat(watch.target().namespace()).isEmpty();
    }
  }

  @Test
  void aClosedWatchDeliversNothingMore() throws InterruptedException {
    // Given
    String first = unique("cm");
    String later = unique("cm-later");
    RecordingListener events = new RecordingListener();
    MemberWatch watch = member.watch(WatchTarget.inNamespace("v1", "ConfigMap", "default"), events);
    member.apply(configMap(first, "one"));
    events.await(MemberEvent.Type.ADDED, first, eventTimeout());

    // When
    watch.close();
    member.apply(configMap(later, "one"));
    member.apply(configMap(first, "two"));
    Thread.sleep(1000);

    // Then
    assertThat(events.eventsFor(later)).isEmpty();
    assertThat(events.eventsFor(first))
        .extracting(MemberEvent::type)
        .containsOnly(MemberEvent.Type.ADDED);
  }

  @Test
  void aWatchOfAnUnknownKindReportsItWithoutBlocking() {
    // Given
    RecordingListener events = new RecordingListener();

    // When
    long start = System.nanoTime();
    try (MemberWatch watch =
        member.watch(WatchTarget.allNamespaces("example.com/v1", "Gadget"), events)) {
      Duration returnedAfter = Duration.ofNanos(System.nanoTime() - start);

      // Then
      MemberException e = events.awaitError(eventTimeout());
      assertThat(returnedAfter).isLessThan(Duration.ofMillis(500));
      assertThat(e.isNotFound()).isTrue();
      assertThat(e.getMessage())
          .isEqualTo("no matches for kind \"Gadget\" in version \"example.com/v1\"");
      assertThat(watch.isSynced()).isFalse();
    }
  }

  @Test
  void anInvalidManifestIsRejectedWithTheMembersMessage() {
    // Given a Deployment without containers
    String name = unique("broken");
    ObjectNode manifest = deployment(name, 1, "nginx");
    ((ObjectNode) manifest.at("/spec/template/spec")).putArray("containers");

    // When
    MemberException e = catchThrowableOfType(MemberException.class, () -> member.apply(manifest));

    // Then
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(MemberException.Reason.REJECTED);
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage())
        .isEqualTo(
            "Deployment.apps \""
                + name
                + "\" is invalid: spec.template.spec.containers: Required"
                + " value");
    assertThat(e.cluster()).isEqualTo(member.name());
    assertThat(member.get(new ResourceRef("apps/v1", "Deployment", "default", name))).isEmpty();
  }

  @Test
  void anUnknownKindIsRejected() {
    // Given
    ObjectNode widget =
        yaml(
            """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w, namespace: default}
            spec: {size: 3}
            """);

    // When
    MemberException e = catchThrowableOfType(MemberException.class, () -> member.apply(widget));

    // Then
    assertThat(e).isNotNull();
    assertThat(e.isNotFound()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo("no matches for kind \"Widget\" in version \"example.com/v1\"");
    assertThat(member.get(new ResourceRef("example.com/v1", "Widget", "default", "w"))).isEmpty();
    assertThat(member.delete(new ResourceRef("example.com/v1", "Widget", "default", "w")))
        .isFalse();
  }

  @Test
  void anObjectInAMissingNamespaceIsRejected() {
    // Given
    String ns = unique("nowhere");
    ObjectNode manifest = configMap(unique("cm"), "one");
    Meta.metadata(manifest).put("namespace", ns);

    // When
    MemberException e = catchThrowableOfType(MemberException.class, () -> member.apply(manifest));

    // Then
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("namespaces \"" + ns + "\" not found");
  }

  @Test
  void aManifestWithoutNameIsRefusedBeforeSending() {
    // Given
    ObjectNode manifest = configMap("x", "one");
    Meta.metadata(manifest).remove("name");

    // When / Then
    assertThatThrownBy(() -> member.apply(manifest))
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(MemberException.Reason.REJECTED);
              assertThat(e.code()).isEqualTo(400);
            });
  }

  @Test
  void probeReportsReadinessAndVersion() {
    // When
    ProbeResult probe = member.probe();

    // Then
    assertThat(probe.ready()).isTrue();
    assertThat(probe.readiness()).isEqualTo("ok");
    assertThat(probe.kubernetesVersion()).matches("v1\\.\\d+\\.\\d+.*");
    assertThat(probe.distribution()).isNotEmpty();
    assertThat(probe.apiLatency()).isPositive();
    assertThat(probe.allocatable().cpuMillis()).isLessThanOrEqualTo(probe.capacity().cpuMillis());
    assertThat(probe.probedAt()).isNotNull();
  }

  @Test
  void aClosedMemberRefusesCalls() {
    // Given
    MemberCluster other = newMember();

    // When
    other.close();

    // Then
    assertThatThrownBy(() -> other.get(cmRef("x")))
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> assertThat(e.reason()).isEqualTo(MemberException.Reason.CLOSED));
    assertThatThrownBy(other::probe).isInstanceOf(MemberException.class);
    assertThat(member.get(cmRef(unique("absent")))).isEmpty(); // others unaffected
  }
}
