package dev.meridian.members.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.members.MemberEvent;
import dev.meridian.members.MemberWatch;
import dev.meridian.members.RecordingListener;
import dev.meridian.members.WatchTarget;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A thousand simulated clusters share two threads and stay small. */
class SimulatedScaleTest {
  static final int CLUSTERS = 1000;

  static final List<ObjectNode> HANDFUL =
      ResourceCodec.readDocuments(
          """
          apiVersion: v1
          kind: Namespace
          metadata: {name: shop}
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: settings, namespace: shop}
          data: {color: blue, size: large, greeting: hello from the simulated fleet}
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web, namespace: shop, labels: {app: web}}
          spec:
            replicas: 3
            selector: {matchLabels: {app: web}}
            template:
              metadata: {labels: {app: web}}
              spec:
                containers:
                - name: web
                  image: nginx:1.27
                  ports: [{containerPort: 80}]
                  resources: {requests: {cpu: 250m, memory: 128Mi}}
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: web, namespace: shop}
          spec:
            selector: {app: web}
            ports: [{port: 80, targetPort: 80}]
          ---
          apiVersion: batch/v1
          kind: Job
          metadata: {name: migrate, namespace: shop}
          spec:
            template:
              spec:
                restartPolicy: Never
                containers: [{name: migrate, image: busybox}]
          """);

  @Test
  void aThousandClustersWithAHandfulOfObjectsEachShareTwoThreadsAndStaySmall() throws Exception {
    try (SimulatedMembers sim =
        SimulatedMembers.create(
            SimulatedMembers.Options.defaults()
                .withStartDelay(Duration.ofMillis(50))
                .withJobDuration(Duration.ofMillis(50)))) {
      // Given
      long heapBefore = usedHeapAfterGc();
      int threadsBefore = threadCount();

      // When each cluster gets five objects and a watch
      List<SimulatedMember> clusters = new ArrayList<>();
      List<MemberWatch> watches = new ArrayList<>();
      RecordingListener last = new RecordingListener();
      for (int i = 0; i < CLUSTERS; i++) {
        SimulatedMember c =
            sim.create(
                "sim-" + i,
                new Cluster.Simulated(Map.of("cpu", "16", "memory", "64Gi"), 0, null, null, null),
                "eu-west",
                null);
        for (ObjectNode o : HANDFUL) {
          c.apply(o);
        }
        watches.add(
            c.watch(
                WatchTarget.allNamespaces("apps/v1", "Deployment"),
                i == CLUSTERS - 1 ? last : new RecordingListener()));
        clusters.add(c);
      }
      last.await(
          MemberEvent.Type.MODIFIED,
          "web",
          e -> e.object().at("/status/readyReplicas").asInt() == 3,
          Duration.ofSeconds(20));
      Thread.sleep(200); // let the other clusters' timers settle too
      int threadsAfter = threadCount();
      long heapAfter = usedHeapAfterGc();

      // Then
      long perCluster = (heapAfter - heapBefore) / CLUSTERS;
      System.out.printf(
          "%d simulated clusters: %d more threads, %d bytes of heap per cluster%n",
          CLUSTERS, threadsAfter - threadsBefore, perCluster);
      assertThat(threadsAfter - threadsBefore).isLessThanOrEqualTo(2);
      assertThat(perCluster).isLessThan(2L * 1024 * 1024);
      assertThat(clusters.get(0).probe().allocatable().cpuMillis()).isEqualTo(16000 - 750);
      assertThat(watches).allMatch(MemberWatch::isSynced);
    }
  }

  private static int threadCount() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
