package dev.meridian.gateway;

/**
 * One place a request can be sent: an address in a cluster (a pod, a load balancer, a VM). Equality
 * is by {@link #id()}, so an endpoint keeps its health and latency state across configuration swaps
 * as long as its identity is the same.
 *
 * @param id stable identity, {@code cluster/host:port}
 * @param cluster the member cluster's name (for a static endpoint: the name it was given, or {@code
 *     static})
 * @param region the cluster's {@code spec.location.region}, or empty
 * @param zone the cluster's {@code spec.location.zone}, or empty
 * @param country the cluster's {@code spec.location.country} (ISO 3166-1 alpha-2), or empty
 * @param host an IP address or host name
 * @param port the TCP port
 * @param tls whether the gateway speaks TLS to it
 * @param weight relative weight within its backend (default 1; 0 is never picked)
 */
public record Endpoint(
    String id,
    String cluster,
    String region,
    String zone,
    String country,
    String host,
    int port,
    boolean tls,
    int weight) {

  public Endpoint {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (weight < 0) {
      throw new IllegalArgumentException("negative weight: " + weight);
    }
  }

  public static String idOf(String cluster, String host, int port) {
    return cluster + "/" + host + ":" + port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Endpoint e && e.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }
}
