package dev.meridian.controllers.propagation.render;

import static dev.meridian.controllers.propagation.render.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.controllers.propagation.render.Health.State;
import org.junit.jupiter.api.Test;

class HealthTest {

  static ObjectNode deployment(String status) {
    return yaml(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, generation: 4}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "nginx:1.27"}]}}
        status: %s
        """
            .formatted(status));
  }

  @Test
  void aDeploymentWhoseReplicasAreAllUpdatedAndAvailableIsHealthy() {
    // Given
    ObjectNode d =
        deployment(
            """
            {observedGeneration: 4, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3,
             conditions: [{type: Available, status: "True", reason: MinimumReplicasAvailable},
                          {type: Progressing, status: "True", reason: NewReplicaSetAvailable}]}
            """);
    // When
    Health h = Health.of(d);
    // Then
    assertThat(h).isEqualTo(new Health(State.HEALTHY, 3, 3, 3, "3/3 ready"));
  }

  @Test
  void aDeploymentWhoseControllerHasNotSeenTheLatestSpecIsProgressing() {
    // Given: counts from the previous generation look complete
    ObjectNode d =
        deployment(
            "{observedGeneration: 3, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}");
    // When
    Health h = Health.of(d);
    // Then
    assertThat(h.state()).isEqualTo(State.PROGRESSING);
    assertThat(h.message()).isEqualTo("waiting for the controller to see the latest change");
  }

  @Test
  void aDeploymentInTheMiddleOfARolloutIsProgressing() {
    // Given
    ObjectNode updating =
        deployment(
            "{observedGeneration: 4, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3}");
    ObjectNode terminating =
        deployment(
            "{observedGeneration: 4, replicas: 4, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}");
    ObjectNode starting =
        deployment(
            """
            {observedGeneration: 4, replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2,
             conditions: [{type: Available, status: "False", reason: MinimumReplicasUnavailable},
                          {type: Progressing, status: "True", reason: ReplicaSetUpdated}]}
            """);
    // When / Then
    assertThat(Health.of(updating))
        .isEqualTo(new Health(State.PROGRESSING, 3, 3, 3, "1 of 3 updated"));
    assertThat(Health.of(terminating).message()).isEqualTo("1 old replicas terminating");
    assertThat(Health.of(starting).state()).isEqualTo(State.PROGRESSING);
    assertThat(Health.of(starting).message()).isEqualTo("2 of 3 available");
  }

  @Test
  void aDeploymentPastItsProgressDeadlineIsDegraded() {
    // Given
    ObjectNode d =
        deployment(
            """
            {observedGeneration: 4, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3,
             conditions: [{type: Progressing, status: "False", reason: ProgressDeadlineExceeded,
                           message: ReplicaSet "web-7d9f" has timed out progressing.}]}
            """);
    // When
    Health h = Health.of(d);
    // Then
    assertThat(h.state()).isEqualTo(State.DEGRADED);
    assertThat(h.message())
        .isEqualTo(
            "rollout exceeded its progress deadline (ProgressDeadlineExceeded: ReplicaSet"
                + " \"web-7d9f\" has timed out progressing.)");
  }

  @Test
  void aRolledOutDeploymentThatLosesAvailableReplicasIsDegraded() {
    // Given: the rollout finished earlier; now pods crash
    ObjectNode d =
        deployment(
            """
            {observedGeneration: 4, replicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1,
             conditions: [{type: Available, status: "False", reason: MinimumReplicasUnavailable,
                           message: Deployment does not have minimum availability.},
                          {type: Progressing, status: "True", reason: NewReplicaSetAvailable}]}
            """);
    // When
    Health h = Health.of(d);
    // Then
    assertThat(h.state()).isEqualTo(State.DEGRADED);
    assertThat(h.message()).startsWith("1 of 3 available (MinimumReplicasUnavailable");
  }

  @Test
  void aDeploymentJustAppliedWithoutStatusIsProgressingAndOneScaledToZeroIsHealthy() {
    // Given
    ObjectNode fresh = deployment("{}");
    ObjectNode zero = deployment("{observedGeneration: 4}");
    ((ObjectNode) zero.get("spec")).put("replicas", 0);
    // When / Then
    assertThat(Health.of(fresh).state()).isEqualTo(State.PROGRESSING);
    assertThat(Health.of(zero)).isEqualTo(new Health(State.HEALTHY, 0, 0, 0, "scaled to zero"));
  }

  static ObjectNode statefulSet(String strategy, String status) {
    return yaml(
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: postgres, namespace: shop, generation: 2}
        spec:
          replicas: 3
          serviceName: postgres
          updateStrategy: %s
          selector: {matchLabels: {app: postgres}}
          template: {metadata: {labels: {app: postgres}}, spec: {containers: [{name: pg, image: "postgres:17"}]}}
        status: %s
        """
            .formatted(strategy, status));
  }

  @Test
  void aStatefulSetIsHealthyWhenAllReplicasAreReadyOnTheUpdateRevision() {
    // Given
    ObjectNode done =
        statefulSet(
            "{type: RollingUpdate}",
            """
            {observedGeneration: 2, replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3,
             currentRevision: postgres-5d8f, updateRevision: postgres-5d8f}
            """);
    ObjectNode rolling =
        statefulSet(
            "{type: RollingUpdate}",
            """
            {observedGeneration: 2, replicas: 3, readyReplicas: 3, updatedReplicas: 1,
             currentRevision: postgres-5d8f, updateRevision: postgres-7b2c}
            """);
    ObjectNode notReady =
        statefulSet(
            "{type: RollingUpdate}",
            "{observedGeneration: 2, replicas: 3, readyReplicas: 2, currentRevision: a, updateRevision: a}");
    // When / Then
    assertThat(Health.of(done)).isEqualTo(new Health(State.HEALTHY, 3, 3, 3, "3/3 ready"));
    assertThat(Health.of(rolling))
        .isEqualTo(new Health(State.PROGRESSING, 3, 3, null, "1 of 3 updated"));
    assertThat(Health.of(notReady).message()).isEqualTo("2 of 3 ready");
  }

  @Test
  void aPartitionedStatefulSetRolloutIsDoneOnceThePodsAboveThePartitionAreUpdated() {
    // Given: partition 2 → only the pod with ordinal 2 is updated
    ObjectNode partitioned =
        statefulSet(
            "{type: RollingUpdate, rollingUpdate: {partition: 2}}",
            """
            {observedGeneration: 2, replicas: 3, readyReplicas: 3, updatedReplicas: 1,
             currentRevision: postgres-5d8f, updateRevision: postgres-7b2c}
            """);
    ObjectNode notYet =
        statefulSet(
            "{type: RollingUpdate, rollingUpdate: {partition: 2}}",
            """
            {observedGeneration: 2, replicas: 3, readyReplicas: 3, updatedReplicas: 0,
             currentRevision: postgres-5d8f, updateRevision: postgres-7b2c}
            """);
    // When / Then
    assertThat(Health.of(partitioned).state()).isEqualTo(State.HEALTHY);
    assertThat(Health.of(notYet).state()).isEqualTo(State.PROGRESSING);
  }

  @Test
  void aDaemonSetNeedsEveryScheduledPodUpdatedAndReady() {
    // Given
    String head =
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: node-exporter, namespace: monitoring, generation: 5}
        spec: {selector: {matchLabels: {app: ne}}, template: {metadata: {labels: {app: ne}}, spec: {containers: [{name: ne, image: "ne:1"}]}}}
        """;
    ObjectNode done =
        yaml(
            head
                + "status: {observedGeneration: 5, desiredNumberScheduled: 12, currentNumberScheduled: 12,"
                + " numberReady: 12, numberAvailable: 12, updatedNumberScheduled: 12}");
    ObjectNode updating =
        yaml(
            head
                + "status: {observedGeneration: 5, desiredNumberScheduled: 12, currentNumberScheduled: 12,"
                + " numberReady: 12, numberAvailable: 12, updatedNumberScheduled: 7}");
    ObjectNode notReady =
        yaml(
            head
                + "status: {observedGeneration: 5, desiredNumberScheduled: 12, numberReady: 10,"
                + " numberAvailable: 10, updatedNumberScheduled: 12}");
    // When / Then
    assertThat(Health.of(done)).isEqualTo(new Health(State.HEALTHY, 12, 12, 12, "12/12 ready"));
    assertThat(Health.of(updating).message()).isEqualTo("7 of 12 updated");
    assertThat(Health.of(notReady))
        .isEqualTo(new Health(State.PROGRESSING, 12, 10, 10, "10 of 12 ready"));
  }

  static ObjectNode job(String spec, String status) {
    return yaml(
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: shop}
        spec: %s
        status: %s
        """
            .formatted(spec, status));
  }

  @Test
  void aJobIsHealthyWhenCompleteDegradedWhenFailedAndProgressingOtherwise() {
    // Given
    ObjectNode complete =
        job(
            "{completions: 5, parallelism: 2}",
            """
            {succeeded: 5, completionTime: "2026-01-05T10:04:00Z",
             conditions: [{type: SuccessCriteriaMet, status: "True"}, {type: Complete, status: "True"}]}
            """);
    ObjectNode failed =
        job(
            "{backoffLimit: 3}",
            """
            {failed: 4, conditions: [{type: FailureTarget, status: "True", reason: BackoffLimitExceeded},
                                     {type: Failed, status: "True", reason: BackoffLimitExceeded,
                                      message: Job has reached the specified backoff limit}]}
            """);
    ObjectNode running =
        job("{completions: 5, parallelism: 2}", "{active: 2, succeeded: 1, ready: 2}");
    ObjectNode suspended =
        job("{suspend: true}", "{conditions: [{type: Suspended, status: \"True\"}]}");
    // When / Then
    assertThat(Health.of(complete)).isEqualTo(new Health(State.HEALTHY, 5, 5, null, "complete"));
    assertThat(Health.of(failed).state()).isEqualTo(State.DEGRADED);
    assertThat(Health.of(failed).message())
        .isEqualTo("failed (BackoffLimitExceeded: Job has reached the specified backoff limit)");
    assertThat(Health.of(running))
        .isEqualTo(new Health(State.PROGRESSING, 5, 1, null, "2 active, 1 succeeded"));
    assertThat(Health.of(suspended).message()).isEqualTo("suspended");
  }

  @Test
  void aLoadBalancerServiceIsProgressingUntilItHasAnAddress() {
    // Given
    String head =
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        """;
    ObjectNode pending = yaml(head + "spec: {type: LoadBalancer}\nstatus: {loadBalancer: {}}");
    ObjectNode ready =
        yaml(
            head
                + "spec: {type: LoadBalancer}\n"
                + "status: {loadBalancer: {ingress: [{hostname: web-1234.elb.eu-west-1.amazonaws.com}]}}");
    ObjectNode clusterIp = yaml(head + "spec: {type: ClusterIP, ports: [{port: 80}]}");
    // When / Then
    assertThat(Health.of(pending).state()).isEqualTo(State.PROGRESSING);
    assertThat(Health.of(ready))
        .isEqualTo(
            new Health(
                State.HEALTHY,
                null,
                null,
                null,
                "load balancer at web-1234.elb.eu-west-1.amazonaws.com"));
    assertThat(Health.of(clusterIp).state()).isEqualTo(State.HEALTHY);
  }

  @Test
  void aClaimIsHealthyOnceBound() {
    // Given
    String head =
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: web-uploads, namespace: shop}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}
        """;
    // When / Then
    assertThat(Health.of(yaml(head + "status: {phase: Bound}")).state()).isEqualTo(State.HEALTHY);
    assertThat(Health.of(yaml(head + "status: {phase: Pending}")).state())
        .isEqualTo(State.PROGRESSING);
    assertThat(Health.of(yaml(head + "status: {phase: Lost}")).state()).isEqualTo(State.DEGRADED);
    assertThat(Health.of(yaml(head)).state()).isEqualTo(State.PROGRESSING);
  }

  static ObjectNode certificate(String conditions) {
    return yaml(
        """
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: web-tls, namespace: shop, generation: 1}
        spec: {secretName: web-tls, dnsNames: [shop.example.com]}
        status: {observedGeneration: 1, conditions: %s}
        """
            .formatted(conditions));
  }

  @Test
  void anyOtherKindIsReadFromItsReadyCondition() {
    // Given
    ObjectNode ready = certificate("[{type: Ready, status: \"True\", reason: Ready}]");
    ObjectNode issuing =
        certificate(
            "[{type: Ready, status: \"False\", reason: InProgress, message: Issuing certificate as Secret does not exist}]");
    ObjectNode failing =
        certificate(
            "[{type: Ready, status: \"False\", reason: Failed, message: ACME order was rejected}]");
    ObjectNode unknown = certificate("[{type: Ready, status: Unknown}]");
    // When / Then
    assertThat(Health.of(ready).state()).isEqualTo(State.HEALTHY);
    assertThat(Health.of(issuing).state()).isEqualTo(State.PROGRESSING);
    assertThat(Health.of(failing))
        .isEqualTo(
            new Health(
                State.DEGRADED, null, null, null, "not ready (Failed: ACME order was rejected)"));
    assertThat(Health.of(unknown).state()).isEqualTo(State.PROGRESSING);
  }

  @Test
  void anyOtherKindFallsBackToAvailableAndFollowsKstatusConditions() {
    // Given
    ObjectNode apiService =
        yaml(
            """
            apiVersion: apiregistration.k8s.io/v1
            kind: APIService
            metadata: {name: v1beta1.metrics.k8s.io}
            status: {conditions: [{type: Available, status: "False", reason: FailedDiscoveryCheck}]}
            """);
    ObjectNode stalled =
        certificate(
            "[{type: Stalled, status: \"True\", reason: InvalidSpec}, {type: Ready, status: \"True\"}]");
    ObjectNode reconciling =
        certificate("[{type: Reconciling, status: \"True\"}, {type: Ready, status: \"True\"}]");
    // When / Then
    assertThat(Health.of(apiService).state()).isEqualTo(State.DEGRADED);
    assertThat(Health.of(stalled).state()).isEqualTo(State.DEGRADED);
    assertThat(Health.of(reconciling).state()).isEqualTo(State.PROGRESSING);
  }

  @Test
  void anObjectWithoutStatusIsHealthyIfItExistsAndUnknownIfNot() {
    // Given
    ObjectNode configMap =
        yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: web-config, namespace: shop}}");
    ObjectNode deleting =
        yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: old, namespace: shop, deletionTimestamp: '2026-01-05T10:00:00Z'}}");
    // When / Then
    assertThat(Health.of(configMap))
        .isEqualTo(new Health(State.HEALTHY, null, null, null, "exists"));
    assertThat(Health.of(null).state()).isEqualTo(State.UNKNOWN);
    assertThat(Health.of(deleting).state()).isEqualTo(State.PROGRESSING);
  }

  @Test
  void statesAreSpelledAsInStatuses() {
    // When / Then
    assertThat(State.HEALTHY.label()).isEqualTo("Healthy");
    assertThat(State.UNKNOWN.label()).isEqualTo("Unknown");
  }
}
