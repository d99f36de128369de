package dev.meridian.controllers.propagation.render;

import static dev.meridian.controllers.propagation.render.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DependenciesTest {

  static Dependency required(String kind, String name) {
    return new Dependency(kind, name);
  }

  static Dependency optional(String kind, String name) {
    return new Dependency(kind, name, true);
  }

  @Test
  void findsEveryConfigMapSecretAccountAndClaimADeploymentUsesSortedByKindThenName() {
    // Given
    ObjectNode deployment = Fixtures.deployment();
    // When / Then
    assertThat(Dependencies.of(deployment))
        .containsExactly(
            required("ConfigMap", "ca-bundle"),
            optional("ConfigMap", "feature-flags"),
            required("ConfigMap", "web-config"),
            required("ConfigMap", "web-nginx-conf"),
            required("PersistentVolumeClaim", "web-uploads"),
            required("Secret", "db-credentials"),
            required("Secret", "registry-creds"),
            optional("Secret", "web-tls"),
            required("Secret", "web-token"),
            required("ServiceAccount", "web"));
  }

  @Test
  void anObjectReferencedBothOptionallyAndNotIsRequired() {
    // Given
    ObjectNode pod =
        yaml(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: debug, namespace: shop}
            spec:
              containers:
              - name: app
                image: busybox:1.37
                envFrom: [{configMapRef: {name: settings, optional: true}}]
                env:
                - name: MODE
                  valueFrom: {configMapKeyRef: {name: settings, key: mode}}
                - name: TOKEN
                  valueFrom: {secretKeyRef: {name: token, key: t, optional: true}}
              volumes:
              - {name: token, secret: {secretName: token, optional: true}}
            """);
    // When / Then
    assertThat(Dependencies.of(pod))
        .containsExactly(required("ConfigMap", "settings"), optional("Secret", "token"));
  }

  @Test
  void theDefaultServiceAccountIsNotADependencyNorIsAnUnnamedOne() {
    // Given
    ObjectNode explicitDefault =
        yaml(
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: node-agent, namespace: ops}
            spec:
              selector: {matchLabels: {app: node-agent}}
              template:
                metadata: {labels: {app: node-agent}}
                spec:
                  serviceAccountName: default
                  containers: [{name: agent, image: "ghcr.io/acme/agent:1"}]
            """);
    ObjectNode deprecatedField =
        yaml(
            """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: legacy, namespace: ops}
            spec:
              selector: {matchLabels: {app: legacy}}
              template:
                metadata: {labels: {app: legacy}}
                spec:
                  serviceAccount: legacy-sa
                  containers: [{name: app, image: "legacy:1"}]
            """);
    // When / Then
    assertThat(Dependencies.of(explicitDefault)).isEmpty();
    assertThat(Dependencies.of(deprecatedField))
        .containsExactly(required("ServiceAccount", "legacy-sa"));
  }

  @Test
  void aStatefulSetsVolumeClaimTemplatesAreNotDependenciesButItsOtherClaimsAre() {
    // Given
    ObjectNode statefulSet =
        yaml(
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: postgres, namespace: shop}
            spec:
              serviceName: postgres
              replicas: 3
              selector: {matchLabels: {app: postgres}}
              template:
                metadata: {labels: {app: postgres}}
                spec:
                  containers:
                  - name: postgres
                    image: postgres:17
                    envFrom: [{secretRef: {name: postgres-superuser}}]
                    volumeMounts:
                    - {name: data, mountPath: /var/lib/postgresql/data}
                    - {name: backups, mountPath: /backups}
                  volumes:
                  - name: backups
                    persistentVolumeClaim: {claimName: shared-backups}
              volumeClaimTemplates:
              - metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 20Gi}}
            """);
    // When / Then
    assertThat(Dependencies.of(statefulSet))
        .containsExactly(
            required("PersistentVolumeClaim", "shared-backups"),
            required("Secret", "postgres-superuser"));
  }

  @Test
  void readsTheJobTemplateOfACronJobAndAJobsTemplate() {
    // Given
    ObjectNode cronJob =
        yaml(
            """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly-report, namespace: shop}
            spec:
              schedule: "0 2 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      serviceAccountName: reporter
                      restartPolicy: OnFailure
                      containers:
                      - name: report
                        image: "ghcr.io/acme/report:5"
                        env:
                        - name: SMTP_PASSWORD
                          valueFrom: {secretKeyRef: {name: smtp, key: password}}
            """);
    ObjectNode job =
        yaml(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, namespace: shop}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: migrate, image: "migrate:2", envFrom: [{configMapRef: {name: migrate-config}}]}]
            """);
    // When / Then
    assertThat(Dependencies.of(cronJob))
        .containsExactly(required("Secret", "smtp"), required("ServiceAccount", "reporter"));
    assertThat(Dependencies.of(job)).containsExactly(required("ConfigMap", "migrate-config"));
  }

  @Test
  void readsEphemeralContainersOfAPod() {
    // Given
    ObjectNode pod =
        yaml(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-0, namespace: shop}
            spec:
              containers: [{name: web, image: "nginx:1.27"}]
              ephemeralContainers:
              - name: debugger
                image: busybox:1.37
                envFrom: [{secretRef: {name: debug-token}}]
            """);
    // When / Then
    assertThat(Dependencies.of(pod)).containsExactly(required("Secret", "debug-token"));
  }

  @Test
  void kindsWithoutPodsHaveNoDependencies() {
    // Given
    ObjectNode service =
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
            """);
    ObjectNode lookalike =
        yaml(
            """
            apiVersion: batch.volcano.sh/v1alpha1
            kind: Job
            metadata: {name: train, namespace: ml}
            spec:
              template:
                spec:
                  containers: [{name: t, image: "t:1", envFrom: [{secretRef: {name: s3}}]}]
            """);
    // When / Then
    assertThat(Dependencies.of(service)).isEmpty();
    assertThat(Dependencies.of(lookalike)).as("not the batch/v1 Job").isEmpty();
  }
}
