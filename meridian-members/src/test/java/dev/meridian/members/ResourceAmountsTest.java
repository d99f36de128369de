package dev.meridian.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.api.ResourceCodec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceAmountsTest {

  @ParameterizedTest
  @CsvSource({"1,1000", "1.5,1500", "250m,250", "0.1,100", "100u,1", "2k,2000000", "1e3,1000000"})
  void readsCpuInMillicores(String quantity, long millis) {
    assertThat(ResourceAmounts.cpuMillis(quantity)).isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource({
    "1Gi,1073741824",
    "1G,1000000000",
    "128974848,128974848",
    "129e6,129000000",
    "123Mi,128974848",
    "1.5Ki,1536",
    "1E,1000000000000000000"
  })
  void readsMemoryInBytes(String quantity, long bytes) {
    assertThat(ResourceAmounts.bytes(quantity)).isEqualTo(bytes);
  }

  @Test
  void refusesMalformedQuantities() {
    assertThatThrownBy(() -> ResourceAmounts.bytes("lots"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceAmounts.bytes("5Qi"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceAmounts.cpuMillis("1.2.3"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesQuantitiesAsKubernetesDoes() {
    // Given
    ResourceAmounts a =
        ResourceAmounts.parse(Map.of("cpu", "1500m", "memory", "4Gi", "pods", "110"));

    // When / Then
    assertThat(a.toQuantities())
        .containsExactly(
            Map.entry("cpu", "1500m"), Map.entry("memory", "4Gi"), Map.entry("pods", "110"));
    assertThat(new ResourceAmounts(60_000, 1000, 0).toQuantities())
        .containsEntry("cpu", "60")
        .containsEntry("memory", "1000");
  }

  @Test
  void podRequestsFollowTheSchedulersRules() {
    // Given app containers (one with only a limit), a one-off init container bigger than them,
    // a sidecar, and pod overhead
    var spec =
        ResourceCodec.readDocuments(
                """
                initContainers:
                - {name: sidecar, restartPolicy: Always, resources: {requests: {cpu: 100m, memory: 10Mi}}}
                - {name: setup, resources: {requests: {cpu: "2", memory: 20Mi}}}
                containers:
                - {name: a, resources: {requests: {cpu: 250m, memory: 100Mi}}}
                - {name: b, resources: {limits: {cpu: 500m, memory: 50Mi}}}
                overhead: {cpu: 10m, memory: 1Mi}
                """)
            .get(0);

    // When
    ResourceAmounts r = ResourceAmounts.podRequests(spec);

    // Then cpu: max(250+500+100 sidecar, 2000+100) + 10; memory: max(150+10, 20+10) + 1
    assertThat(r).isEqualTo(new ResourceAmounts(2110, 161L * 1024 * 1024, 1));
  }

  @Test
  void countsHowManyCopiesFit() {
    // Given
    ResourceAmounts free = new ResourceAmounts(1000, 1024, 10);

    // When / Then
    assertThat(free.howManyFit(new ResourceAmounts(300, 0, 1))).isEqualTo(3);
    assertThat(free.howManyFit(new ResourceAmounts(0, 100, 1))).isEqualTo(10);
    assertThat(new ResourceAmounts(-5, 0, 3).howManyFit(new ResourceAmounts(1, 0, 1))).isZero();
  }
}
