package dev.meridian.gateway.netty;

import dev.meridian.gateway.RouteDecision.HeaderEdits;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * The backend's response head as the client gets it (its headers edited in place: the caller must
 * not read them afterwards): hop-by-hop headers removed, the route's edits and the sticky-session
 * cookie applied, and framing set for the client's hop (chunked when the backend gave no length,
 * since the body may end by connection close upstream but must not downstream).
 */
final class OutboundResponse {

  private OutboundResponse() {}

  /**
   * @param cookie a {@code Set-Cookie} value to add, or null
   * @param headRequest whether the request was a HEAD (the response has no body)
   */
  static HttpResponse of(
      HttpResponse response, HeaderEdits edits, String cookie, boolean headRequest) {
    // the backend's head is ours alone once read: its headers are edited in place, not copied
    HttpHeaders h = response.headers();
    HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), h);
    HopByHopHeaders.strip(h);
    h.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text()); // from an HTTP/2 backend
    OutboundRequest.apply(h, edits);
    if (cookie != null) {
      h.add(HttpHeaderNames.SET_COOKIE, cookie);
    }
    int code = response.status().code();
    boolean noBody = code < 200 || code == 204 || code == 304 || headRequest;
    if (!noBody && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return out;
  }
}
