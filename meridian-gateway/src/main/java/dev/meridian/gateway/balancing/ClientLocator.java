package dev.meridian.gateway.balancing;

import dev.meridian.gateway.RequestHead;
import java.net.InetSocketAddress;

/**
 * Where a client is: the value of a trusted header set by a front proxy or CDN (such as {@code
 * X-Client-Region}), else the region of the client address in a CIDR table, else the gateway's own
 * region.
 *
 * @param header the trusted header, or null for none
 * @param cidrs address blocks → region
 * @param gatewayRegion this gateway's region, or empty
 */
public record ClientLocator(String header, CidrTable cidrs, String gatewayRegion) {

  public String regionOf(RequestHead head) {
    if (header != null) {
      String v = head.headers().get(header);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    InetSocketAddress client = head.client();
    if (client != null && !cidrs.isEmpty()) {
      String r = cidrs.regionOf(client.getAddress());
      if (r != null) {
        return r;
      }
    }
    return gatewayRegion;
  }
}
