package dev.meridian.gateway.netty;

import dev.meridian.gateway.RouteDecision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A request the table answers itself ({@link RouteDecision.Respond}): the answer goes out at once,
 * and the rest of the request body, if any, is read and dropped (bounded by the body limit) so that
 * the connection can carry the next request.
 */
final class LocalAnswer implements RequestSink {

  private final ProxyHandler owner;
  private boolean complete;

  private LocalAnswer(ProxyHandler owner) {
    this.owner = owner;
  }

  static LocalAnswer send(
      ProxyHandler owner, ChannelHandlerContext ctx, RouteDecision.Respond respond) {
    ctx.writeAndFlush(
        LocalResponses.of(ctx.alloc(), respond.status(), respond.headers(), respond.body()));
    return new LocalAnswer(owner);
  }

  @Override
  public void onRequestContent(HttpContent content) {
    content.release();
    if (content instanceof LastHttpContent) {
      complete = true;
      owner.exchangeDone(this);
    }
  }

  @Override
  public boolean requestComplete() {
    return complete;
  }

  @Override
  public void onDownstreamWritable() {}

  @Override
  public void onDownstreamClosed() {}

  @Override
  public void onBodyTooLarge() {
    complete = true;
    owner.exchangeDone(this);
  }
}
