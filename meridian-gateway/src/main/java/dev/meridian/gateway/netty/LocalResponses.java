package dev.meridian.gateway.netty;

import dev.meridian.gateway.RouteDecision;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/** Responses the gateway writes itself (errors, redirects, 404), always with a length. */
final class LocalResponses {

  private LocalResponses() {}

  static FullHttpResponse of(
      ByteBufAllocator alloc, int status, List<RouteDecision.Header> headers, String body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            ByteBufUtil.writeUtf8(alloc, body == null ? "" : body));
    for (RouteDecision.Header h : headers) {
      response.headers().add(h.name(), h.value());
    }
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");
    return response;
  }

  static FullHttpResponse error(ByteBufAllocator alloc, int status, String body) {
    return of(alloc, status, List.of(), body);
  }

  /** An error after which the connection is closed (the stream cannot be trusted any more). */
  static FullHttpResponse closing(ByteBufAllocator alloc, int status, String body) {
    FullHttpResponse response = error(alloc, status, body);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }
}
