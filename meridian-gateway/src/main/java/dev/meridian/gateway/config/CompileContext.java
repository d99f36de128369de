package dev.meridian.gateway.config;

import dev.meridian.gateway.balancing.CidrTable;
import dev.meridian.gateway.health.EndpointStates;
import dev.meridian.gateway.routing.RateLimiter;
import java.util.Map;

/**
 * What a compilation needs to know about the gateway itself.
 *
 * @param gatewayName {@code --name}; a route whose {@code spec.gateways} is set and does not name
 *     it is skipped (null: only routes without {@code spec.gateways})
 * @param region {@code --region}, the region assumed for clients located by nothing else; or empty
 * @param clientRegionHeader a trusted request header carrying the client's region (set by a front
 *     proxy or CDN, and stripped by it from clients' requests), or null
 * @param clientCidrs client address blocks → region
 * @param states the long-lived endpoint states, shared by every table
 * @param listenPort the port the gateway listens on, for redirects without scheme and port (0: the
 *     scheme's well-known port)
 * @param maxRateLimitClients how many client addresses each per-client rate limit remembers
 */
public record CompileContext(
    String gatewayName,
    String region,
    String clientRegionHeader,
    CidrTable clientCidrs,
    EndpointStates states,
    int listenPort,
    int maxRateLimitClients) {

  public CompileContext {
    region = region == null ? "" : region;
    clientCidrs = clientCidrs == null ? CidrTable.EMPTY : clientCidrs;
  }

  public static CompileContext of(String gatewayName, String region, EndpointStates states) {
    return new CompileContext(
        gatewayName, region, null, CidrTable.EMPTY, states, 0, RateLimiter.DEFAULT_MAX_CLIENTS);
  }

  public CompileContext withClientRegionHeader(String header) {
    return new CompileContext(
        gatewayName, region, header, clientCidrs, states, listenPort, maxRateLimitClients);
  }

  /** With client address blocks, CIDR ({@code 10.1.0.0/16}) → region. */
  public CompileContext withClientCidrs(Map<String, String> cidrToRegion) {
    return new CompileContext(
        gatewayName,
        region,
        clientRegionHeader,
        CidrTable.of(cidrToRegion),
        states,
        listenPort,
        maxRateLimitClients);
  }

  public CompileContext withListenPort(int port) {
    return new CompileContext(
        gatewayName, region, clientRegionHeader, clientCidrs, states, port, maxRateLimitClients);
  }

  public CompileContext withMaxRateLimitClients(int max) {
    return new CompileContext(
        gatewayName, region, clientRegionHeader, clientCidrs, states, listenPort, max);
  }
}
