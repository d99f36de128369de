package dev.meridian.gateway.netty;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Tells the backend who the client is: appends to {@code X-Forwarded-For} and to RFC 7239 {@code
 * Forwarded} (so that a chain of proxies stays visible), and sets {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Host} (this hop's view, the de-facto convention). The gateway trusts no
 * incoming values beyond keeping them in the chain.
 */
final class ForwardedHeaders {

  private static final String X_FORWARDED_FOR = "x-forwarded-for";
  private static final String X_FORWARDED_PROTO = "x-forwarded-proto";
  private static final String X_FORWARDED_HOST = "x-forwarded-host";

  private ForwardedHeaders() {}

  /**
   * The downstream side of one connection as forwarding headers spell it, computed once per
   * connection rather than per request.
   *
   * @param ip the client's address (an IPv6 one without its zone), or {@code unknown}
   * @param proto {@code https} or {@code http}
   * @param element the start of this hop's {@code Forwarded} element: {@code for=...;proto=...}
   */
  record Client(String ip, String proto, String element) {
    static Client of(InetSocketAddress client, boolean tls) {
      String ip = client == null ? "unknown" : client.getAddress().getHostAddress();
      boolean v6 = client != null && client.getAddress() instanceof Inet6Address;
      if (v6) {
        int zone = ip.indexOf('%');
        if (zone >= 0) {
          ip = ip.substring(0, zone);
        }
      }
      String proto = tls ? "https" : "http";
      return new Client(ip, proto, "for=" + (v6 ? "\"[" + ip + "]\"" : ip) + ";proto=" + proto);
    }
  }

  /**
   * @param host the Host the client asked for (before any rewrite), or empty
   */
  static void add(HttpHeaders headers, Client client, String host) {
    String ip = client.ip();
    String xff = headers.get(X_FORWARDED_FOR);
    headers.set(X_FORWARDED_FOR, xff == null || xff.isBlank() ? ip : xff + ", " + ip);
    headers.set(X_FORWARDED_PROTO, client.proto());
    String element = client.element();
    if (!host.isEmpty()) {
      headers.set(X_FORWARDED_HOST, host);
      element = element + ";host=" + quoteIfNeeded(host);
    }
    String forwarded = headers.get("forwarded");
    headers.set(
        "forwarded",
        forwarded == null || forwarded.isBlank() ? element : forwarded + ", " + element);
  }

  private static String quoteIfNeeded(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
      }
    }
    return value;
  }
}
