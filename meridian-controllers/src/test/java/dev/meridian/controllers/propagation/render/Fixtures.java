package dev.meridian.controllers.propagation.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.api.ResourceCodec;

/** Realistic manifests for the render tests, written as YAML the way users write them. */
final class Fixtures {
  private Fixtures() {}

  static ObjectNode yaml(String text) {
    return ResourceCodec.readDocuments(text).get(0);
  }

  /** A Deployment as stored on the hub: server-set metadata, status, env, volumes, pull secrets. */
  static ObjectNode deployment() {
    return yaml(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          uid: 6f1c1d2e-0d7a-4a51-9d0b-5b7f4f7f8a11
          resourceVersion: "4711"
          generation: 3
          creationTimestamp: "2026-01-05T10:00:00Z"
          selfLink: /apis/apps/v1/namespaces/shop/deployments/web
          finalizers: [meridian.dev/propagation]
          ownerReferences:
          - {apiVersion: gitops.meridian.dev/v1alpha1, kind: GitSource, name: shop, uid: 1234}
          managedFields:
          - {manager: kubectl, operation: Apply, apiVersion: apps/v1}
          labels: {app: web, tier: frontend}
          annotations:
            team: storefront
            prometheus.io/scrape: "true"
        spec:
          replicas: 6
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              serviceAccountName: web
              imagePullSecrets:
              - name: registry-creds
              initContainers:
              - name: migrate
                image: registry.example.com/shop/migrate:2.4.0
                envFrom:
                - secretRef: {name: db-credentials}
              containers:
              - name: web
                image: nginx:1.27
                args: ["--port=8080", "--log-format=json"]
                env:
                - {name: LOG_LEVEL, value: info}
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef: {name: db-credentials, key: password}
                - name: FEATURE_FLAGS
                  valueFrom:
                    configMapKeyRef: {name: feature-flags, key: flags, optional: true}
                envFrom:
                - configMapRef: {name: web-config}
                resources:
                  requests: {cpu: 250m, memory: 256Mi}
                  limits: {cpu: 500m, memory: 512Mi}
                volumeMounts:
                - {name: config, mountPath: /etc/web}
                - {name: tls, mountPath: /etc/tls, readOnly: true}
                - {name: uploads, mountPath: /var/uploads}
              - name: metrics
                image: quay.io/prometheus/statsd-exporter:v0.26.0
              volumes:
              - name: config
                configMap: {name: web-nginx-conf}
              - name: tls
                secret: {secretName: web-tls, optional: true}
              - name: bundle
                projected:
                  sources:
                  - configMap: {name: ca-bundle}
                  - secret: {name: web-token}
                  - serviceAccountToken: {path: token, expirationSeconds: 3600}
              - name: uploads
                persistentVolumeClaim: {claimName: web-uploads}
        status:
          observedGeneration: 3
          replicas: 6
          readyReplicas: 6
          availableReplicas: 6
          updatedReplicas: 6
        """);
  }
}
