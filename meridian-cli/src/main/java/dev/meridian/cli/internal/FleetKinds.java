package dev.meridian.cli.internal;

import dev.meridian.api.ResourceType;
import dev.meridian.api.ResourceTypes;
import dev.meridian.api.fleet.Cluster;

/** The fleet kinds the fleet commands address directly. */
final class FleetKinds {
  static final ResourceType CLUSTER =
      ResourceTypes.standard().byKind(Cluster.API_VERSION, Cluster.KIND).orElseThrow();
  static final ResourceType SECRET = ResourceTypes.standard().byKind("v1", "Secret").orElseThrow();
  static final String CREDENTIALS_NAMESPACE = "meridian-system";

  private FleetKinds() {}

  static String credentialsSecret(String cluster) {
    return cluster + "-kubeconfig";
  }
}
