package dev.meridian.gateway.netty;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Map;

/**
 * Refuses requests that must never reach a backend, before routing sees them: unparseable request
 * lines and headers (400), headers over the limit (431), ambiguous framing that enables request
 * smuggling (both {@code Content-Length} and {@code Transfer-Encoding}, several different lengths,
 * a {@code Transfer-Encoding} whose last coding is not {@code chunked}: 400), header values with
 * CR, LF or NUL (400), and bodies over the limit (413). Each of these closes the connection, since
 * the rest of the byte stream cannot be trusted. Netty's strict decoder already rejects most of
 * them; checking again here keeps the guarantee if a decoder setting changes and covers requests
 * converted from HTTP/2.
 *
 * <p>A body that grows past the limit after it started streaming fires {@link #BODY_TOO_LARGE} so
 * that the exchange answers 413 (or resets, when its response has started), and the rest of the
 * body is dropped here.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {

  /** User event: the current request's body passed the limit. */
  static final Object BODY_TOO_LARGE = new Object();

  private final long maxBodyBytes;
  private long bodyBytes;
  private boolean dropping;
  private boolean rejected;

  RequestGuard(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      bodyBytes = 0;
      dropping = false;
      int status = check(request);
      if (status != 0) {
        ReferenceCountUtil.release(msg);
        reject(ctx, status);
        return;
      }
    }
    if (msg instanceof HttpContent content) {
      if (content.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        reject(ctx, 400);
        return;
      }
      if (dropping) {
        ReferenceCountUtil.release(msg);
        return;
      }
      bodyBytes += content.content().readableBytes();
      if (bodyBytes > maxBodyBytes) {
        dropping = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        ctx.fireUserEventTriggered(BODY_TOO_LARGE);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void reject(ChannelHandlerContext ctx, int status) {
    rejected = true;
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(LocalResponses.closing(ctx.alloc(), status, reason(status)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** The status to refuse the request with, or 0 when it may pass. */
  int check(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      Throwable cause = result.cause();
      if (cause instanceof TooLongHttpHeaderException) {
        return 431;
      }
      if (cause instanceof TooLongHttpLineException) {
        return 414;
      }
      return cause instanceof TooLongFrameException ? 431 : 400;
    }
    HttpHeaders headers = request.headers();
    List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!lengths.isEmpty() && !codings.isEmpty()) {
      return 400;
    }
    if (!lengths.isEmpty()) {
      String first = null;
      for (String value : lengths) {
        for (String part : value.split(",", -1)) {
          String v = part.trim();
          if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
            return 400;
          }
          if (first != null && !first.equals(v)) {
            return 400;
          }
          first = v;
        }
      }
      if (Long.parseLong(first) > maxBodyBytes) {
        return 413;
      }
    }
    if (!codings.isEmpty() && !finalChunkedOnly(codings)) {
      return 400;
    }
    for (Map.Entry<String, String> header : headers) {
      if (hasControlCharacters(header.getKey()) || hasControlCharacters(header.getValue())) {
        return 400;
      }
    }
    if (hasControlCharacters(request.uri()) || request.uri().indexOf(' ') >= 0) {
      return 400;
    }
    return 0;
  }

  private static boolean finalChunkedOnly(List<String> codings) {
    String[] all = String.join(",", codings).split(",", -1);
    for (int i = 0; i < all.length; i++) {
      String coding = all[i].trim();
      boolean chunked = coding.equalsIgnoreCase("chunked");
      if (coding.isEmpty() || chunked != (i == all.length - 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasControlCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return true;
      }
    }
    return false;
  }

  private static String reason(int status) {
    return switch (status) {
      case 413 -> "request body too large\n";
      case 414 -> "request line too long\n";
      case 431 -> "request headers too large\n";
      default -> "bad request\n";
    };
  }
}
