package dev.meridian.cli;

/** Manifests the tests apply. */
final class Manifests {
  private Manifests() {}

  static String namespace(String name) {
    return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n";
  }

  static String deployment(String namespace, String name, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          namespace: %s
          labels: {app: %s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
                - {name: web, image: "nginx:1.27"}
        """
        .formatted(name, namespace, name, replicas, name, name);
  }

  static String simulatedCluster(String name, String region, String country) {
    return """
        apiVersion: fleet.meridian.dev/v1alpha1
        kind: Cluster
        metadata:
          name: %s
          labels: {region: %s}
        spec:
          connection:
            simulated: {capacity: {cpu: "64", memory: 256Gi, pods: "1000"}}
          location: {region: %s, zone: %s-a, country: %s, provider: aws}
        """
        .formatted(name, region, region, region, country);
  }
}
