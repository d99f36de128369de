package dev.meridian.members.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.Meta;
import dev.meridian.api.ObjectMeta;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberClusterContractTest;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberTimeouts;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.ProbeResult;
import dev.meridian.members.RecordingListener;
import dev.meridian.members.ResourceAmounts;
import dev.meridian.members.ResourceRef;
import dev.meridian.members.WatchTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The contract on a simulated cluster, plus capacity, latency, failures and status progress. */
class SimulatedMemberTest extends MemberClusterContractTest {
  static final Duration START = Duration.ofMillis(150);
  static final SimulatedMembers SIM =
      SimulatedMembers.create(
          SimulatedMembers.Options.defaults()
              .withStartDelay(START)
              .withJobDuration(Duration.ofMillis(300)));

  @AfterAll
  static void closeFactory() {
    SIM.close();
  }

  @Override
  protected MemberCluster newMember() {
    return SIM.create(
        "sim", simulated(Map.of("cpu", "4", "memory", "8Gi", "pods", "50"), 1), null, null);
  }

  static Cluster.Simulated simulated(Map<String, String> capacity, int latencyMs) {
    return new Cluster.Simulated(capacity, latencyMs, null, null, null);
  }

  private SimulatedMember sim(Map<String, String> capacity, int latencyMs) {
    return SIM.create(
        "sim-" + unique("c"), simulated(capacity, latencyMs), "eu-west", "eu-west-1a");
  }

  private static ObjectNode deploymentRequesting(String name, int replicas, String cpu) {
    ObjectNode d = deployment(name, replicas, "nginx");
    ((ObjectNode) d.at("/spec/template/spec/containers/0/resources/requests")).put("cpu", cpu);
    return d;
  }

  private static ResourceRef deploymentRef(String name) {
    return new ResourceRef("apps/v1", "Deployment", "default", name);
  }

  private static Predicate<MemberEvent> status(String field, int value) {
    return e -> e.object().path("status").path(field).asInt(0) == value;
  }

  private static JsonNode condition(JsonNode obj, String type) {
    for (JsonNode c : obj.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return null;
  }

  @Test
  void aDeploymentBecomesAvailableAfterTheStartDelay() {
    // Given
    String name = unique("web");
    RecordingListener events = new RecordingListener();
    member.watch(WatchTarget.inNamespace("apps/v1", "Deployment", "default"), events);

    // When
    long applied = System.nanoTime();
    member.apply(deployment(name, 3, "nginx"));

    // Then first observed but not ready, then ready after the start delay
    MemberEvent observed =
        events.await(MemberEvent.Type.MODIFIED, name, status("replicas", 3), eventTimeout());
    assertThat(observed.object().at("/status/readyReplicas").asInt(0)).isZero();
    assertThat(observed.object().at("/status/observedGeneration").asLong()).isEqualTo(1);
    assertThat(condition(observed.object(), "Available").path("status").asText())
        .isEqualTo("False");
    MemberEvent ready =
        events.await(MemberEvent.Type.MODIFIED, name, status("readyReplicas", 3), eventTimeout());
    assertThat(Duration.ofNanos(System.nanoTime() - applied)).isGreaterThanOrEqualTo(START);
    JsonNode s = ready.object().path("status");
    assertThat(s.path("availableReplicas").asInt()).isEqualTo(3);
    assertThat(s.path("updatedReplicas").asInt()).isEqualTo(3);
    assertThat(s.path("replicas").asInt()).isEqualTo(3);
    assertThat(condition(ready.object(), "Available").path("status").asText()).isEqualTo("True");
    assertThat(condition(ready.object(), "Progressing").path("reason").asText())
        .isEqualTo("NewReplicaSetAvailable");
    assertThat(member.get(deploymentRef(name)).orElseThrow().at("/status/readyReplicas").asInt())
        .isEqualTo(3);
  }

  @Test
  void onlyTheReplicasThatFitInCapacityBecomeReady() {
    // Given a cluster with one CPU
    SimulatedMember small = sim(Map.of("cpu", "1", "memory", "4Gi", "pods", "100"), 0);
    RecordingListener events = new RecordingListener();
    small.watch(WatchTarget.allNamespaces("apps/v1", "Deployment"), events);

    // When five replicas of 300m each are asked for
    small.apply(deploymentRequesting("big", 5, "300m"));

    // Then three fit, two stay pending, and the Deployment is not available
    MemberEvent ready =
        events.await(MemberEvent.Type.MODIFIED, "big", status("readyReplicas", 3), eventTimeout());
    assertThat(ready.object().at("/status/replicas").asInt()).isEqualTo(5);
    assertThat(ready.object().at("/status/unavailableReplicas").asInt()).isEqualTo(2);
    assertThat(condition(ready.object(), "Available").path("status").asText()).isEqualTo("False");
    assertThat(condition(ready.object(), "Progressing").path("message").asText())
        .contains("2 of 5 pods are pending: insufficient capacity");
    assertThat(small.probe().allocatable().cpuMillis()).isEqualTo(100);
    small.close();
  }

  @Test
  void capacityFreedByADeletedWorkloadLetsPendingPodsStart() {
    // Given two workloads competing for two CPUs, the older one holding most of it
    SimulatedMember c = sim(Map.of("cpu", "2", "memory", "4Gi", "pods", "100"), 0);
    RecordingListener events = new RecordingListener();
    c.watch(WatchTarget.allNamespaces("apps/v1", "Deployment"), events);
    c.apply(deploymentRequesting("first", 3, "500m"));
    c.apply(deploymentRequesting("second", 4, "500m"));
    events.await(MemberEvent.Type.MODIFIED, "second", status("readyReplicas", 1), eventTimeout());

    // When
    c.delete(deploymentRef("first"));

    // Then
    events.await(MemberEvent.Type.MODIFIED, "second", status("readyReplicas", 4), eventTimeout());
    assertThat(c.probe().allocatable().cpuMillis()).isZero();
    c.close();
  }

  @Test
  void scalingDownReleasesCapacityAtOnce() {
    // Given
    SimulatedMember c = sim(Map.of("cpu", "4", "memory", "4Gi", "pods", "100"), 0);
    c.apply(deploymentRequesting("web", 4, "1"));
    assertThat(c.used().cpuMillis()).isEqualTo(4000);

    // When
    c.apply(deploymentRequesting("web", 1, "1"));

    // Then
    assertThat(c.used().cpuMillis()).isEqualTo(1000);
    assertThat(c.get(deploymentRef("web")).orElseThrow().at("/status/observedGeneration").asLong())
        .isEqualTo(2);
    c.close();
  }

  @Test
  void probeIsLabelledSimulatedAndReportsCapacityLessWorkloads() {
    // Given
    SimulatedMember c = sim(Map.of("cpu", "8", "memory", "16Gi", "pods", "220"), 0);
    c.apply(deploymentRequesting("web", 2, "1500m"));

    // When
    ProbeResult p = c.probe();

    // Then
    assertThat(p.simulated()).isTrue();
    assertThat(p.distribution()).isEqualTo("simulated");
    assertThat(p.kubernetesVersion()).isEqualTo("v1.37.2-sim");
    assertThat(p.capacity())
        .isEqualTo(ResourceAmounts.parse(Map.of("cpu", "8", "memory", "16Gi", "pods", "220")));
    assertThat(p.allocatable())
        .isEqualTo(new ResourceAmounts(5000, 16L * 1024 * 1024 * 1024 - 2 * 64 * 1024 * 1024, 218));
    assertThat(p.nodeCount()).isEqualTo(2);
    assertThat(p.region()).isEqualTo("eu-west");
    assertThat(p.zone()).isEqualTo("eu-west-1a");
    c.close();
  }

  @Test
  void everyCallTakesTheApiLatencyAndSlowMultipliesIt() {
    // Given
    SimulatedMember c = sim(Map.of(), 40);
    String name = unique("cm");

    // When
    long t0 = System.nanoTime();
    c.apply(configMap(name, "one"));
    long t1 = System.nanoTime();
    c.get(new ResourceRef("v1", "ConfigMap", "default", name));
    long t2 = System.nanoTime();
    ProbeResult probe = c.probe();
    c.slow(3);
    long t3 = System.nanoTime();
    c.delete(new ResourceRef("v1", "ConfigMap", "default", name));
    long t4 = System.nanoTime();

    // Then
    assertThat(Duration.ofNanos(t1 - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    assertThat(Duration.ofNanos(t2 - t1)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    assertThat(probe.apiLatency()).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    assertThat(Duration.ofNanos(t4 - t3)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
    c.close();
  }

  @Test
  void aFailedClusterIsUnreachableUntilItRecovers() {
    // Given
    SimulatedMember c = sim(Map.of(), 20);
    String name = unique("cm");
    c.apply(configMap(name, "one"));

    // When
    c.fail();
    long t0 = System.nanoTime();
    MemberException e =
        catchThrowableOfType(
            MemberException.class,
            () -> c.get(new ResourceRef("v1", "ConfigMap", "default", name)));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    // Then
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(MemberException.Reason.UNREACHABLE);
    assertThat(e.getMessage()).contains("unreachable");
    assertThat(took).isBetween(Duration.ofMillis(20), Duration.ofSeconds(1));
    assertThatThrownBy(c::probe).isInstanceOf(MemberException.class);
    assertThatThrownBy(() -> c.apply(configMap(name, "two"))).isInstanceOf(MemberException.class);
    c.recover();
    assertThat(
            c.get(new ResourceRef("v1", "ConfigMap", "default", name))
                .orElseThrow()
                .at("/data/key")
                .asText())
        .isEqualTo("one");
    assertThat(c.probe().ready()).isTrue();
    c.close();
  }

  @Test
  void aCallSlowerThanTheTimeoutFailsAfterTheTimeout() {
    // Given
    try (SimulatedMembers factory =
        SimulatedMembers.create(
            SimulatedMembers.Options.defaults()
                .withTimeouts(
                    new MemberTimeouts(Duration.ofMillis(100), Duration.ofMillis(200))))) {
      SimulatedMember c = factory.create("slow", simulated(Map.of(), 100), null, null);
      c.slow(5);

      // When
      long t0 = System.nanoTime();
      MemberException e = catchThrowableOfType(MemberException.class, c::probe);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);

      // Then
      assertThat(e.reason()).isEqualTo(MemberException.Reason.UNREACHABLE);
      assertThat(e.getMessage()).contains("timed out after 200 ms");
      assertThat(took).isBetween(Duration.ofMillis(200), Duration.ofMillis(450));
    }
  }

  @Test
  void aWatchCatchesUpAfterAnOutage() {
    // Given a watch, and a Deployment that becomes ready while the cluster is unreachable
    SimulatedMember c = sim(Map.of(), 5);
    RecordingListener events = new RecordingListener();
    MemberWatch watch = c.watch(WatchTarget.allNamespaces("apps/v1", "Deployment"), events);
    c.apply(deployment("web", 2, "nginx"));
    events.await(MemberEvent.Type.ADDED, "web", eventTimeout());
    c.fail();

    // When the pods start during the outage
    sleep(START.multipliedBy(3));
    List<MemberEvent> duringOutage = events.eventsFor("web");
    c.recover();

    // Then nothing arrived meanwhile, and the catch-up brings the ready state
    assertThat(duringOutage).noneMatch(status("readyReplicas", 2));
    events.await(MemberEvent.Type.MODIFIED, "web", status("readyReplicas", 2), eventTimeout());
    assertThat(watch.isSynced()).isTrue();
    c.close();
  }

  @Test
  void aWatchOnADownClusterListsWhenItRecovers() {
    // Given
    SimulatedMember c = sim(Map.of(), 0);
    c.apply(configMap("cm-1", "one"));
    c.fail();
    RecordingListener events = new RecordingListener();
    MemberWatch watch = c.watch(WatchTarget.inNamespace("v1", "ConfigMap", "default"), events);
    sleep(Duration.ofMillis(100));
    assertThat(watch.isSynced()).isFalse();

    // When
    c.recover();

    // Then
    events.await(MemberEvent.Type.ADDED, "cm-1", eventTimeout());
    c.close();
  }

  @Test
  void aJobCompletes() {
    // Given
    String name = unique("migrate");
    ObjectNode job =
        yaml(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: %s, namespace: default}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: run, image: busybox}]
            """
                .formatted(name));
    RecordingListener events = new RecordingListener();
    member.watch(WatchTarget.inNamespace("batch/v1", "Job", "default"), events);

    // When
    member.apply(job);

    // Then
    MemberEvent running =
        events.await(MemberEvent.Type.MODIFIED, name, status("active", 1), eventTimeout());
    assertThat(running.object().at("/status/startTime").asText()).isNotEmpty();
    MemberEvent done =
        events.await(MemberEvent.Type.MODIFIED, name, status("succeeded", 1), eventTimeout());
    assertThat(condition(done.object(), "Complete").path("status").asText()).isEqualTo("True");
    assertThat(done.object().at("/status/completionTime").asText()).isNotEmpty();
    assertThat(done.object().at("/status/active").isMissingNode()).isTrue();
  }

  @Test
  void aServiceGetsAClusterIpThatSurvivesReapply() {
    // Given
    String name = unique("svc");
    ObjectNode svc =
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: %s, namespace: default}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            """
                .formatted(name));

    // When
    ObjectNode first = member.apply(svc).object();
    ObjectNode again = member.apply(svc).object();

    // Then
    String ip = first.at("/spec/clusterIP").asText();
    assertThat(ip).startsWith("10.96.");
    assertThat(first.at("/spec/type").asText()).isEqualTo("ClusterIP");
    assertThat(first.at("/spec/ports/0/targetPort").asInt()).isEqualTo(80);
    assertThat(again.at("/spec/clusterIP").asText()).isEqualTo(ip);
    assertThat(Meta.resourceVersion(again)).isEqualTo(Meta.resourceVersion(first));
  }

  @Test
  void aDeploymentSelectorCannotChange() {
    // Given
    String name = unique("web");
    member.apply(deployment(name, 1, "nginx"));
    ObjectNode changed = deployment(name, 1, "nginx");
    ((ObjectNode) changed.at("/spec/selector/matchLabels")).put("tier", "x");
    ((ObjectNode) changed.at("/spec/template/metadata/labels")).put("tier", "x");

    // When
    MemberException e = catchThrowableOfType(MemberException.class, () -> member.apply(changed));

    // Then
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage())
        .startsWith("Deployment.apps \"" + name + "\" is invalid: spec.selector")
        .endsWith("field is immutable");
  }

  @Test
  void aCustomResourceDefinitionAddsItsKind() {
    // Given
    ObjectNode crd =
        yaml(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {kind: Widget, plural: widgets, singular: widget}
              versions: [{name: v1, served: true, storage: true}]
            """);
    ObjectNode widget =
        yaml("{apiVersion: example.com/v1, kind: Widget, metadata: {name: w, namespace: default}}");
    ResourceRef ref = new ResourceRef("example.com/v1", "Widget", "default", "w");

    // When
    ObjectNode established = member.apply(crd).object();
    member.apply(widget);

    // Then
    assertThat(condition(established, "Established").path("status").asText()).isEqualTo("True");
    assertThat(member.get(ref)).isPresent();
    member.delete(
        new ResourceRef(
            "apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.example.com"));
    assertThat(member.get(ref)).isEmpty();
    assertThatThrownBy(() -> member.apply(widget)).isInstanceOf(MemberException.class);
  }

  @Test
  void deletingANamespaceDeletesWhatIsInIt() {
    // Given
    member.apply(yaml("{apiVersion: v1, kind: Namespace, metadata: {name: shop}}"));
    ObjectNode cm = configMap("cart", "one");
    Meta.metadata(cm).put("namespace", "shop");
    member.apply(cm);

    // When
    boolean deleted = member.delete(new ResourceRef("v1", "Namespace", "", "shop"));

    // Then
    assertThat(deleted).isTrue();
    assertThat(member.get(new ResourceRef("v1", "ConfigMap", "shop", "cart"))).isEmpty();
    MemberException e =
        catchThrowableOfType(
            MemberException.class,
            () -> member.delete(new ResourceRef("v1", "Namespace", "", "default")));
    assertThat(e.code()).isEqualTo(403);
  }

  @Test
  void aClusterObjectDescribesTheSimulation() {
    // Given
    Cluster cluster =
        new Cluster(
            Cluster.API_VERSION,
            Cluster.KIND,
            ObjectMeta.named("lab"),
            new Cluster.Spec(
                new Cluster.Connection(
                    null, new Cluster.Simulated(Map.of("cpu", "2"), 1, "Down", null, null)),
                null,
                new Cluster.Location("us-east", "us-east-1b", "US", "sim"),
                null,
                null,
                null),
            null);

    // When
    SimulatedMember lab = SIM.create(cluster);

    // Then
    assertThat(lab.name()).isEqualTo("lab");
    assertThat(lab.isFailed()).isTrue();
    assertThat(lab.capacity())
        .isEqualTo(ResourceAmounts.parse(Map.of("cpu", "2", "memory", "32Gi", "pods", "110")));
    lab.recover();
    assertThat(lab.probe().region()).isEqualTo("us-east");
    assertThatThrownBy(
            () ->
                SIM.create(
                    "bad",
                    new Cluster.Simulated(Map.of("cpu", "lots"), 0, null, null, null),
                    null,
                    null))
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> assertThat(e.reason()).isEqualTo(MemberException.Reason.CONFIGURATION));
    lab.close();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
