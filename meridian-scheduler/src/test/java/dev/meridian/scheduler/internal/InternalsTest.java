package dev.meridian.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.api.Quantities;
import dev.meridian.scheduler.Fixtures;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quantities, versions, apportionment and pod templates. */
class InternalsTest {
  @Test
  void quantitiesInEveryNotation() {
    assertThat(Quantities.cpuMillis("500m")).isEqualTo(500);
    assertThat(Quantities.cpuMillis("2")).isEqualTo(2000);
    assertThat(Quantities.cpuMillis("0.25")).isEqualTo(250);
    assertThat(Quantities.cpuMillis("100u")).isEqualTo(1); // rounded up
    assertThat(Quantities.units("64Mi")).isEqualTo(64L << 20);
    assertThat(Quantities.units("1.5Gi")).isEqualTo(3L << 29);
    assertThat(Quantities.units("1G")).isEqualTo(1_000_000_000L);
    assertThat(Quantities.units("1e3")).isEqualTo(1000);
    assertThat(Quantities.units("128974848")).isEqualTo(128974848L);
    assertThat(Quantities.parse("1k")).isEqualByComparingTo(BigDecimal.valueOf(1000));
    assertThatThrownBy(() -> Quantities.units("1 Gi")).hasMessage("invalid quantity \"1 Gi\"");
    assertThatThrownBy(() -> Quantities.units("-1")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Quantities.units("Gi")).hasMessage("invalid quantity \"Gi\"");
    assertThat(Quantities.formatCpu(1500)).isEqualTo("1500m");
    assertThat(Quantities.formatBytes(3L << 30)).isEqualTo("3Gi");
    assertThat(Quantities.formatBytes(1000)).isEqualTo("1000");
  }

  @Test
  void versionsCompareOnTheComponentsOfTheBound() {
    KubeVersion v = KubeVersion.parse("v1.30.5-eks-abc");
    assertThat(v).isEqualTo(new KubeVersion(1, 30, 5, 3));
    assertThat(v.compareToBound(KubeVersion.parse("1.30"))).isZero();
    assertThat(v.compareToBound(KubeVersion.parse("1.30.6"))).isNegative();
    assertThat(v.compareToBound(KubeVersion.parse("v1.29"))).isPositive();
    assertThat(KubeVersion.parse("latest")).isNull();
    assertThat(KubeVersion.parse(null)).isNull();
  }

  @Test
  void apportionmentSumsExactlyAndStaysWithinOneOfTheShare() {
    assertThat(Apportionment.divide(10, new long[] {1, 1, 1})).containsExactly(4, 3, 3);
    assertThat(Apportionment.divide(5, new long[] {3, 2, 2})).containsExactly(2, 2, 1);
    assertThat(Apportionment.divide(7, new long[] {0, 0})).containsExactly(4, 3);
    assertThat(Apportionment.divide(3, new long[] {0, 5})).containsExactly(0, 3);
    // pure Sainte-Laguë would give the big cluster all 8 here (every small share is 0.3)
    long[] skewed = new long[11];
    skewed[0] = 50;
    for (int i = 1; i < 11; i++) {
      skewed[i] = 3;
    }
    long[] out = Apportionment.divide(8, skewed);
    assertThat(out[0]).isEqualTo(5);
    assertThat(java.util.Arrays.stream(out).sum()).isEqualTo(8);
    // huge weights do not overflow
    assertThat(Apportionment.divide(3, new long[] {Long.MAX_VALUE / 2, Long.MAX_VALUE / 2}))
        .containsExactly(2, 1);
  }

  @Test
  void podTemplatesGiveReplicasAndRequests() {
    List<String> problems = new ArrayList<>();
    var d =
        Fixtures.yaml(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec:
                  initContainers: [{name: init, resources: {requests: {cpu: "2"}}}]
                  containers:
                  - {name: a, resources: {requests: {cpu: 250m, memory: 64Mi}}}
                  - {name: b, resources: {limits: {cpu: 500m, memory: 1Gi}}}
                  - {name: c, resources: {requests: {cpu: many}}}
            """);
    assertThat(PodTemplate.replicas(d)).isEqualTo(1);
    assertThat(PodTemplate.requests(d, problems))
        .isEqualTo(new dev.meridian.scheduler.Resources(2000L, (1L << 30) + (64L << 20), 1L));
    assertThat(problems)
        .containsExactly("template: container c cpu request ignored: invalid quantity \"many\"");
    assertThat(PodTemplate.replicas(Fixtures.configMap())).isNull();
    assertThat(
            PodTemplate.replicas(
                Fixtures.yaml(
                    "apiVersion: example.com/v1\nkind: Game\nmetadata: {name: g}\nspec: {replicas: 4}\n")))
        .isEqualTo(4);
  }
}
