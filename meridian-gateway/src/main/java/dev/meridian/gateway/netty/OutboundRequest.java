package dev.meridian.gateway.netty;

import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RouteDecision.Header;
import dev.meridian.gateway.RouteDecision.HeaderEdits;
import dev.meridian.gateway.RouteDecision.RequestEdits;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * The request as it leaves for a backend: hop-by-hop headers removed, forwarding headers added, the
 * route's edits and rewrites applied, HTTP/1.1 framing set for this hop. Built once per request and
 * written unchanged for each attempt.
 */
final class OutboundRequest {

  private OutboundRequest() {}

  /**
   * @param client the connection's client, as {@link ForwardedHeaders} names it
   */
  static HttpRequest of(
      HttpRequest request, RequestHead head, RequestEdits edits, ForwardedHeaders.Client client) {
    HttpHeaders h = request.headers().copy();
    boolean chunked = HttpUtil.isTransferEncodingChunked(request);
    String originalHost = h.get(HttpHeaderNames.HOST, head.host());
    HopByHopHeaders.strip(h);
    h.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
    h.remove(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
    h.remove(HttpConversionUtil.ExtensionHeaderNames.PATH.text());
    h.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text());
    h.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text());
    ForwardedHeaders.add(h, client, originalHost);
    apply(h, edits.headers());
    if (edits.hostname() != null) {
      h.set(HttpHeaderNames.HOST, edits.hostname());
    }
    if (chunked) {
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    String path = edits.path() != null ? edits.path() : head.path();
    String uri = head.query().isEmpty() ? path : path + "?" + head.query();
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri, h);
  }

  /** Gateway API order: set, then add, then remove. */
  static void apply(HttpHeaders h, HeaderEdits edits) {
    if (edits.isEmpty()) {
      return;
    }
    for (Header s : edits.set()) {
      h.set(s.name(), s.value());
    }
    for (Header a : edits.add()) {
      h.add(a.name(), a.value());
    }
    for (String r : edits.remove()) {
      h.remove(r);
    }
  }
}
