package dev.meridian.gateway.health;

/**
 * The endpoints of one backend ({@code namespace/kind/name:port}), over which {@code
 * maxEjectionPercent} is counted.
 */
final class BackendGroup {
  final String key;
  volatile EndpointState[] members = new EndpointState[0];

  BackendGroup(String key) {
    this.key = key;
  }

  int ejectedAt(long nowNanos) {
    int n = 0;
    for (EndpointState s : members) {
      if (s.ejected(nowNanos)) {
        n++;
      }
    }
    return n;
  }
}
