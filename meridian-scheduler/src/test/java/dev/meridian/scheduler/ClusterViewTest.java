package dev.meridian.scheduler;

import static dev.meridian.scheduler.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.api.Typed;
import dev.meridian.api.fleet.Cluster;
import dev.meridian.api.policy.ClusterAffinity;
import org.junit.jupiter.api.Test;

class ClusterViewTest {
  private static Cluster cluster(String status) {
    return Typed.read(
        yaml(
            """
            apiVersion: fleet.meridian.dev/v1alpha1
            kind: Cluster
            metadata: {name: eu-west-1, labels: {ring: prod}}
            spec:
              location: {region: eu-west, zone: eu-west-1a, country: DE, provider: aws}
              taints: [{key: maintenance, value: "true", effect: NoSchedule}]
            status: %s
            """
                .formatted(status)),
        Cluster.class);
  }

  @Test
  void readsEverythingTheSchedulerNeedsFromACluster() {
    ClusterView v =
        ClusterView.of(
            cluster(
                "{conditions: [{type: Ready, status: \"True\"}], kubernetesVersion: v1.37.2,"
                    + " allocatable: {cpu: \"60\", memory: 240Gi, pods: \"990\"}}"));
    assertThat(v.name()).isEqualTo("eu-west-1");
    assertThat(v.labels()).containsEntry("ring", "prod");
    assertThat(v.location().country()).isEqualTo("DE");
    assertThat(v.taints()).extracting(Cluster.Taint::key).containsExactly("maintenance");
    assertThat(v.allocatable()).isEqualTo(new Resources(60_000L, 240L << 30, 990L));
    assertThat(v.isReady()).isTrue();
    assertThat(v.kubernetesVersion()).isEqualTo("v1.37.2");
    assertThat(v.servedApis()).isNull();
    assertThat(v.withServedApis(java.util.List.of("v1")).servedApis()).containsExactly("v1");
    assertThat(
            v.matches(
                new ClusterAffinity(
                    null,
                    null,
                    null,
                    new ClusterAffinity.Locations(null, null, java.util.List.of("DE"), null),
                    null,
                    null)))
        .isTrue();
  }

  @Test
  void aClusterWithoutStatusIsUnreadyWithUnknownCapacity() {
    ClusterView v = ClusterView.of(cluster("{}"));
    assertThat(v.isReady()).isFalse();
    assertThat(v.allocatable()).isNull();
  }

  @Test
  void aBadQuantityNamesTheClusterAndField() {
    assertThatThrownBy(() -> ClusterView.of(cluster("{allocatable: {cpu: lots}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cluster eu-west-1: status.allocatable.cpu: invalid quantity \"lots\"");
  }

  @Test
  void resourcesFitCountsTheTightestDimension() {
    Resources alloc = new Resources(4000L, 8L << 30, 110L);
    assertThat(alloc.fit(new Resources(500L, 1L << 30, 1L))).isEqualTo(8);
    assertThat(alloc.fit(new Resources(3000L, null, 1L))).isEqualTo(1);
    assertThat(alloc.fit(new Resources(null, null, 1L))).isEqualTo(110);
    assertThat(Resources.NONE.fit(new Resources(1L, 1L, 1L))).isEqualTo(Integer.MAX_VALUE);
  }
}
