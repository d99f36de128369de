package dev.meridian.scheduler;

import static dev.meridian.scheduler.Fixtures.cluster;
import static dev.meridian.scheduler.Fixtures.configMap;
import static dev.meridian.scheduler.Fixtures.deployment;
import static dev.meridian.scheduler.Fixtures.policy;
import static dev.meridian.scheduler.Fixtures.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.api.ResourceCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionTest {
  @Test
  void toJsonHasThePlanShape() throws Exception {
    // Given a decision with a target and an exclusion
    Decision d =
        schedule(
            deployment(2),
            policy("replicaScheduling: {type: Divided}\n"),
            cluster("a").build(),
            cluster("b").ready("False").build());

    // When written as JSON
    String json = ResourceCodec.JSON.writeValueAsString(d.toJson());

    // Then it has the documented shape
    assertThat(json)
        .isEqualTo(
            "{\"resource\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"namespace\":\"shop\","
                + "\"name\":\"web\"},\"policy\":\"shop/web\",\"clusters\":[{\"name\":\"a\",\"replicas\":2}],"
                + "\"excluded\":[{\"cluster\":\"b\",\"reasons\":[\"not ready: Ready=False\"]}],"
                + "\"unschedulable\":null,\"warnings\":[],\"affinityName\":null}");
  }

  @Test
  void nullsForKindsWithoutReplicasClusterScopedTemplatesAndNoPolicy() throws Exception {
    Decision cm = schedule(configMap(), policy(""), cluster("a").build());
    assertThat(cm.toJson().path("clusters").get(0).path("replicas").isNull()).isTrue();

    var ns = Fixtures.yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
    Decision none = Decision.noPolicy(Decision.Resource.of(ns));
    assertThat(ResourceCodec.JSON.writeValueAsString(none.toJson()))
        .isEqualTo(
            "{\"resource\":{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"namespace\":null,"
                + "\"name\":\"shop\"},\"policy\":null,\"clusters\":[],\"excluded\":[],"
                + "\"unschedulable\":\"no policy selects it\",\"warnings\":[],\"affinityName\":null}");
    assertThat(none.resource().toString()).isEqualTo("Namespace shop");
  }

  @Test
  void everyClusterIsEitherATargetOrExcluded() {
    Decision d =
        schedule(
            deployment(1),
            policy("replicaScheduling: {type: Divided}\n"),
            cluster("a").build(),
            cluster("b").build(),
            cluster("c").taint("x", null, "NoExecute").build());
    assertThat(d.placement()).containsOnlyKeys("a");
    assertThat(d.exclusions()).containsOnlyKeys("b", "c");
  }

  @Test
  void duplicateClusterNamesAreRefused() {
    assertThatThrownBy(
            () -> schedule(configMap(), policy(""), cluster("a").build(), cluster("a").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate cluster name \"a\"");
  }

  @Test
  void noClustersIsUnschedulable() {
    Decision d = Scheduler.schedule(SchedulingInput.of(configMap(), policy(""), List.of()));
    assertThat(d.unschedulable()).isEqualTo("no clusters to choose from");
  }
}
