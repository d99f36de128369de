package dev.meridian.gateway.netty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that removes hop-by-hop headers (RFC 9110 section 7.6.1) from a message before it
 * is sent on the next hop: {@code Connection} and every header it names, {@code Keep-Alive}, {@code
 * Proxy-Authenticate}, {@code Proxy-Authorization}, {@code TE}, {@code Trailer}, {@code
 * Transfer-Encoding} and {@code Upgrade}. A WebSocket upgrade keeps {@code Upgrade} and {@code
 * Connection: Upgrade}, since the backend must see them to switch protocols. Framing ({@code
 * Transfer-Encoding}) is set again by the sender for its own hop.
 */
final class HopByHopHeaders {

  private static final List<CharSequence> FIXED =
      List.of(
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_AUTHENTICATE,
          HttpHeaderNames.PROXY_AUTHORIZATION,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.TRANSFER_ENCODING,
          "proxy-connection");

  private HopByHopHeaders() {}

  /** Whether the message asks for a WebSocket upgrade ({@code Upgrade: websocket}). */
  static boolean isWebSocketUpgrade(HttpHeaders headers) {
    return headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  /** Removes the hop-by-hop headers in place; keeps a WebSocket upgrade's headers. */
  static void strip(HttpHeaders headers) {
    boolean webSocket = isWebSocketUpgrade(headers);
    List<String> named = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()) {
          named.add(name);
        }
      }
    }
    headers.remove(HttpHeaderNames.CONNECTION);
    for (String name : named) {
      if (!(webSocket && HttpHeaderNames.UPGRADE.contentEqualsIgnoreCase(name))) {
        headers.remove(name);
      }
    }
    for (CharSequence name : FIXED) {
      headers.remove(name);
    }
    if (webSocket) {
      headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    } else {
      headers.remove(HttpHeaderNames.UPGRADE);
    }
  }
}
