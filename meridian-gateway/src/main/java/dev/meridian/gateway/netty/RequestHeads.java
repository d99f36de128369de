package dev.meridian.gateway.netty;

import dev.meridian.gateway.RequestHead;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.Locale;

/** Builds the version-independent {@link RequestHead} that routing reads from a Netty request. */
final class RequestHeads {

  private RequestHeads() {}

  static RequestHead of(HttpRequest request, InetSocketAddress client, boolean tls) {
    String uri = request.uri();
    // absolute-form (a client that thinks we are a forward proxy): keep only path and query
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      int slash = uri.indexOf('/', uri.indexOf("//") + 2);
      uri = slash < 0 ? "/" : uri.substring(slash);
    }
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q + 1);
    if (path.isEmpty()) {
      path = "/";
    }
    return new RequestHead(
        request.method().name(),
        hostWithoutPort(request.headers().get(HttpHeaderNames.HOST)),
        path,
        query,
        new NettyHeaders(request.headers()),
        client,
        tls);
  }

  static String hostWithoutPort(String host) {
    if (host == null || host.isEmpty()) {
      return "";
    }
    String h = host.trim();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end < 0 ? h : h.substring(0, end + 1);
    } else {
      int colon = h.lastIndexOf(':');
      if (colon >= 0) {
        h = h.substring(0, colon);
      }
    }
    return h.toLowerCase(Locale.ROOT);
  }
}
