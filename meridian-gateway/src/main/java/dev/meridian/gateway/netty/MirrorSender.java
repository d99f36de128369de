package dev.meridian.gateway.netty;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RouteDecision.Limits;
import dev.meridian.gateway.RouteDecision.Mirror;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sends a copy of a request to the mirror backend and drops its answer. It runs beside the main
 * request on the same event loop and never blocks it: a failing or slow mirror only costs its own
 * connection. Only requests whose body was small enough to keep are mirrored.
 */
final class MirrorSender implements ConnectionSource.Waiter, UpstreamListener {

  private final HttpRequest request;
  private final List<HttpContent> body;
  private UpstreamConnection connection;
  private boolean keepAlive;
  private boolean over;

  private MirrorSender(HttpRequest request, List<HttpContent> body) {
    this.request = request;
    this.body = body;
  }

  static void send(
      ProxyContext context,
      EventLoop loop,
      Mirror mirror,
      RequestHead head,
      HttpRequest request,
      List<HttpContent> body) {
    Optional<Endpoint> endpoint = mirror.backends().pick(head, Set.of());
    if (endpoint.isEmpty()) {
      body.forEach(HttpContent::release);
      return;
    }
    context
        .pools(loop)
        .forEndpoint(endpoint.get())
        .acquire(new MirrorSender(request, body), Limits.DEFAULT);
  }

  @Override
  public void onAcquired(UpstreamConnection c) {
    connection = c;
    c.attach(this);
    c.channel().write(request);
    for (HttpContent part : body) {
      c.channel().write(part);
    }
    body.clear();
    c.channel().flush();
  }

  @Override
  public void onAcquireFailed(Throwable cause, boolean overflow) {
    over = true;
    body.forEach(HttpContent::release);
    body.clear();
  }

  @Override
  public boolean cancelled() {
    return over;
  }

  @Override
  public void onResponse(HttpResponse response) {
    keepAlive = HttpUtil.isKeepAlive(response);
  }

  @Override
  public void onContent(HttpContent content) {
    content.release();
    if (content instanceof LastHttpContent && !over) {
      over = true;
      if (keepAlive) {
        connection.release();
      } else {
        connection.discard();
      }
    }
  }

  @Override
  public void onRawBytes(ByteBuf bytes) {
    bytes.release();
  }

  @Override
  public void onClosed(Throwable cause) {
    over = true;
  }

  @Override
  public void onWritable() {}
}
