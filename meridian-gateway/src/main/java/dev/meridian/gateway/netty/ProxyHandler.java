package dev.meridian.gateway.netty;

import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RouteDecision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client connection (or HTTP/2 stream): routes each request with the table
 * current when its head arrived and runs it as an {@link Exchange} (or a {@link LocalAnswer}). One
 * request at a time per connection, as HTTP/1.1 requires for responses; pipelined requests wait in
 * a queue with reading paused. An exception closes this connection only.
 */
final class ProxyHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

  private final ProxyContext context;
  private final InetSocketAddress client;
  private final boolean tls;
  private final ArrayDeque<Object> queued = new ArrayDeque<>();
  private ForwardedHeaders.Client forwardedClient;
  private boolean upgradeSettled;
  private ScheduledFuture<?> deadlineTimer;
  private long deadlineTimerAt;
  private ChannelHandlerContext ctx;
  private RequestSink current;
  private boolean draining;

  ProxyHandler(ProxyContext context, InetSocketAddress client, boolean tls) {
    this.context = context;
    this.client = client;
    this.tls = tls;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (current != null && current.requestComplete()) {
      queued.add(msg);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    dispatch(msg);
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest request) {
      HttpContent body = null;
      if (msg instanceof FullHttpRequest full) {
        body = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
      }
      begin(request);
      if (body != null) {
        feed(body);
      }
    } else if (msg instanceof HttpContent content) {
      feed(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void feed(HttpContent content) {
    if (current != null) {
      current.onRequestContent(content);
    } else {
      content.release();
    }
  }

  private void begin(HttpRequest request) {
    if (!upgradeSettled) {
      upgradeSettled = true;
      // h2c by Upgrade is offered on a connection's first request only (RFC 9113 deprecates it
      // altogether); this one was not upgraded, so the handler that looks for it would only cost
      // every later message a pass through it
      HttpServerUpgradeHandler upgrade = ctx.pipeline().get(HttpServerUpgradeHandler.class);
      if (upgrade != null) {
        ctx.pipeline().remove(upgrade);
      }
    }
    RequestHead head = RequestHeads.of(request, client, tls);
    RouteDecision decision;
    try {
      decision = context.table().decide(head);
    } catch (RuntimeException e) {
      // a table bug must cost this request, not the connection or the gateway
      LOG.warn("routing table failed for {} {}: {}", head.method(), head.path(), e.toString());
      decision = new RouteDecision.Respond(500, java.util.List.of(), "routing failed\n");
    }
    if (decision instanceof RouteDecision.Forward forward) {
      Exchange exchange = new Exchange(this, ctx, context, request, head, forward);
      current = exchange;
      exchange.start();
    } else if (decision instanceof RouteDecision.Respond respond) {
      context.metrics().request("none", "none", respond.status(), 0);
      current = LocalAnswer.send(this, ctx, respond);
    }
  }

  /** The client as forwarding headers name it (computed on first use). */
  ForwardedHeaders.Client forwardedClient() {
    if (forwardedClient == null) {
      forwardedClient = ForwardedHeaders.Client.of(client, tls);
    }
    return forwardedClient;
  }

  /**
   * The current exchange must be over by {@code at} ({@link System#nanoTime()}). The connection
   * keeps one timer for all its requests: it is moved only when a deadline comes earlier than the
   * one it is set for; when it fires, it times out the exchange then current if that one's deadline
   * passed and otherwise sets itself for it, so that a keep-alive connection does not schedule and
   * cancel a task per request.
   */
  void deadline(long at) {
    if (deadlineTimer != null) {
      if (deadlineTimerAt - at <= 0) {
        return;
      }
      deadlineTimer.cancel(false);
    }
    deadlineTimerAt = at;
    deadlineTimer =
        ctx.executor()
            .schedule(this::deadlineReached, at - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private void deadlineReached() {
    deadlineTimer = null;
    if (current instanceof Exchange exchange) {
      long at = exchange.deadline();
      if (at == 0) {
        return;
      }
      if (at - System.nanoTime() <= 0) {
        exchange.onRequestTimeout();
      } else {
        deadline(at);
      }
    }
  }

  /** The current request is over (its response written); the next queued one may start. */
  void exchangeDone(RequestSink sink) {
    if (sink != current && current != null) {
      return;
    }
    current = null;
    if (draining) {
      return; // the loop below goes on (no recursion per pipelined request)
    }
    draining = true;
    try {
      Object next;
      while ((current == null || !current.requestComplete()) && (next = queued.poll()) != null) {
        dispatch(next);
      }
    } finally {
      draining = false;
    }
    if (queued.isEmpty() && (current == null || !current.requestComplete())) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** The connection switched protocols: what is queued can no longer be HTTP. */
  void upgraded() {
    current = null;
    queued.forEach(ReferenceCountUtil::release);
    queued.clear();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null && ctx.channel().isWritable()) {
      current.onDownstreamWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == RequestGuard.BODY_TOO_LARGE) {
      if (current != null) {
        current.onBodyTooLarge();
      }
      return;
    }
    if (evt instanceof IdleStateEvent) {
      if (current == null) {
        ctx.close(); // an idle keep-alive connection; one in use is bounded by its timeouts
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
      deadlineTimer = null;
    }
    RequestSink sink = current;
    current = null;
    queued.forEach(ReferenceCountUtil::release);
    queued.clear();
    if (sink != null) {
      sink.onDownstreamClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("closing connection from {}: {}", client, cause.toString());
    ctx.close();
  }
}
