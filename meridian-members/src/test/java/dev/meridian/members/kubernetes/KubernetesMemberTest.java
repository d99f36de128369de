package dev.meridian.members.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.members.MemberCluster;
import dev.meridian.members.MemberClusterContractTest;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.MemberException;
import dev.meridian.members.MemberTimeouts;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.ProbeResult;
import dev.meridian.members.RealClusters;
import dev.meridian.members.RecordingListener;
import dev.meridian.members.ResourceAmounts;
import dev.meridian.members.ResourceRef;
import dev.meridian.members.WatchTarget;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract against a real kube-apiserver (started once for the class, without controller
 * manager), plus what only a real cluster shows: sharing of threads, timeouts, restarts.
 */
class KubernetesMemberTest extends MemberClusterContractTest {
  static RealClusters clusters;
  static KubernetesMembers members;

  @BeforeAll
  static void startClusters() {
    clusters = RealClusters.start(1);
    members = KubernetesMembers.create();
  }

  @AfterAll
  static void stopClusters() {
    if (members != null) {
      members.close();
    }
    if (clusters != null) {
      clusters.close();
    }
  }

  @Override
  protected MemberCluster newMember() {
    RealClusters.Cluster c = clusters.get(0);
    return members.connect(c.name(), c.kubeconfigYaml(), null);
  }

  private static String realKubeconfig() {
    return clusters.get(0).kubeconfigYaml();
  }

  @Test
  void probeOfABareApiServerFindsNoNodes() {
    // When
    ProbeResult probe = member.probe();

    // Then
    assertThat(probe.kubernetesVersion()).isEqualTo("v1.37.2");
    assertThat(probe.nodeCount()).isZero();
    assertThat(probe.capacity()).isEqualTo(ResourceAmounts.ZERO);
    assertThat(probe.allocatable()).isEqualTo(ResourceAmounts.ZERO);
    assertThat(probe.distribution()).isEqualTo(ProbeResult.UNKNOWN);
    assertThat(probe.simulated()).isFalse();
    assertThat(probe.region()).isNull();
  }

  @Test
  void applyTakesOverFieldsOwnedByAnotherManager() throws Exception {
    // Given a field set by someone else with kubectl
    String name = unique("cm");
    kubectl(
        configMap(name, "theirs").toString(),
        "apply",
        "--server-side",
        "--field-manager=someone-else",
        "-f",
        "-");

    // When
    String ours = member.apply(configMap(name, "ours")).object().at("/data/key").asText();

    // Then
    assertThat(ours).isEqualTo("ours");
    String managers =
        kubectl(
            "",
            "get",
            "configmap",
            name,
            "--show-managed-fields",
            "-o",
            "jsonpath={.metadata.managedFields[*].manager}");
    assertThat(managers).contains("meridian");
    assertThat(
            member
                .get(new ResourceRef("v1", "ConfigMap", "default", name))
                .orElseThrow()
                .at("/data/key")
                .asText())
        .isEqualTo("ours");
  }

  @Test
  void fiftyMembersShareTheEventLoopsAndTaskThreads() throws Exception {
    try (KubernetesMembers factory = KubernetesMembers.create()) {
      // Given one member in use, so that the shared pools exist
      List<MemberWatch> watches = new ArrayList<>();
      KubernetesMember first = factory.connect("m0", realKubeconfig(), null);
      first.probe();
      watches.add(
          first.watch(
              WatchTarget.inNamespace("v1", "ConfigMap", "default"), new RecordingListener()));
      awaitSynced(watches);
      int before = threadCount();

      // When 50 more members each probe and keep a watch open
      for (int i = 1; i <= 50; i++) {
        KubernetesMember m = factory.connect("m" + i, realKubeconfig(), null);
        m.probe();
        watches.add(
            m.watch(
                WatchTarget.inNamespace("v1", "ConfigMap", "default"), new RecordingListener()));
      }
      awaitSynced(watches);
      int after = threadCount();

      // Then
      System.out.printf("threads: %d with 1 member, %d with 51 members%n", before, after);
      assertThat(after - before).isLessThanOrEqualTo(8);
      assertThat(factory.members()).hasSize(51);
    }
  }

  private static void awaitSynced(List<MemberWatch> watches) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!watches.stream().allMatch(MemberWatch::isSynced)) {
      assertThat(System.nanoTime()).as("watches synced in time").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static int threadCount() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  @Test
  void aSilentServerTimesOutWithoutDelayingAHealthyMember() throws Exception {
    // Given a server that accepts connections and never answers, and a healthy member
    MemberTimeouts timeouts = new MemberTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
    try (SilentServer silent = new SilentServer();
        KubernetesMember stuck =
            members.connect(
                "stuck",
                realKubeconfig()
                    .replaceAll(
                        "server: https://127.0.0.1:\\d+",
                        "server: https://127.0.0.1:" + silent.port()),
                null,
                timeouts);
        KubernetesMember healthy = members.connect("healthy", realKubeconfig(), null, timeouts)) {
      healthy.probe(); // warm the connection

      // When the stuck member is probed and read while the healthy one is probed repeatedly
      long start = System.nanoTime();
      CompletableFuture<MemberException> stuckProbe =
          CompletableFuture.supplyAsync(
              () -> catchThrowableOfType(MemberException.class, stuck::probe));
      CompletableFuture<MemberException> stuckGet =
          CompletableFuture.supplyAsync(
              () ->
                  catchThrowableOfType(
                      MemberException.class,
                      () -> stuck.get(new ResourceRef("v1", "ConfigMap", "default", "x"))));
      List<Long> healthyMillis = new CopyOnWriteArrayList<>();
      while (!(stuckProbe.isDone() && stuckGet.isDone())
          && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
        long t0 = System.nanoTime();
        assertThat(healthy.probe().ready()).isTrue();
        healthyMillis.add((System.nanoTime() - t0) / 1_000_000);
      }
      MemberException probeFailure = stuckProbe.get(1, TimeUnit.SECONDS);
      Duration probeTook = Duration.ofNanos(System.nanoTime() - start);
      MemberException getFailure = stuckGet.get(1, TimeUnit.SECONDS);

      // Then
      System.out.printf(
          "silent server: failed after %d ms; meanwhile %d healthy probes, slowest %d ms%n",
          probeTook.toMillis(),
          healthyMillis.size(),
          healthyMillis.stream().mapToLong(Long::longValue).max().orElse(-1));
      assertThat(probeFailure).isNotNull();
      assertThat(probeFailure.reason()).isEqualTo(MemberException.Reason.UNREACHABLE);
      assertThat(getFailure).isNotNull();
      assertThat(getFailure.reason()).isEqualTo(MemberException.Reason.UNREACHABLE);
      assertThat(probeTook).isLessThan(Duration.ofSeconds(6));
      assertThat(healthyMillis).isNotEmpty().allSatisfy(ms -> assertThat(ms).isLessThan(1000));
    }
  }

  @Test
  void aWatchResumesAfterTheApiServerRestarts() {
    // Given a watch in sync
    String before = unique("cm-before");
    String after = unique("cm-after");
    member.apply(configMap(before, "one"));
    RecordingListener events = new RecordingListener();
    try (MemberWatch watch =
        member.watch(WatchTarget.inNamespace("v1", "ConfigMap", "default"), events)) {
      events.await(MemberEvent.Type.ADDED, before, eventTimeout());

      // When the API server goes away and comes back
      clusters.stop("cluster-1");
      clusters.restart("cluster-1");
      member.apply(configMap(after, "one"));
      member.apply(configMap(before, "two"));

      // Then
      events.await(MemberEvent.Type.ADDED, after, Duration.ofSeconds(45));
      events.await(
          MemberEvent.Type.MODIFIED,
          before,
          e -> e.object().at("/data/key").asText().equals("two"),
          Duration.ofSeconds(45));
      assertThat(watch.isSynced()).isTrue();
    }
  }

  private static String kubectl(String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(clusters.kubectl().toString());
    cmd.add("--kubeconfig=" + clusters.get(0).kubeconfig());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** Accepts TCP connections and never says a word. */
  static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(socket.accept());
                  }
                } catch (IOException e) {
                  // closed
                }
              },
              "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
