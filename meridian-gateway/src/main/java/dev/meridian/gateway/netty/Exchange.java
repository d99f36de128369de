package dev.meridian.gateway.netty;

import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.EndpointFeedback.Failure;
import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.RouteDecision.Forward;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One forwarded request, from its head to the last byte of its response, on the downstream
 * channel's event loop: picks an endpoint per attempt, streams the body both ways without copying
 * (with auto-read backpressure), retries by the route's policy, enforces the timeouts, and reports
 * each attempt to the endpoint feedback.
 *
 * <p>A body of up to {@link RequestBody#LIMIT} bytes can be sent again, so an idempotent request is
 * retried even after its body left; a larger body is streamed and retried only after a connect
 * failure, when none of it left.
 */
final class Exchange implements RequestSink {

  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.OPTIONS,
          HttpMethod.PUT,
          HttpMethod.DELETE,
          HttpMethod.TRACE);

  private final ProxyHandler owner;
  private final ChannelHandlerContext ctx;
  private final ProxyContext context;
  private final HttpRequest request;
  private final RequestHead head;
  private final Forward forward;
  private final long startNanos = System.nanoTime();
  private final boolean idempotent;
  private final boolean webSocket;
  private final boolean logged;
  private final HttpRequest outbound;

  private final RequestBody body = new RequestBody();
  private boolean requestComplete;
  private boolean mirrorWanted;

  private final Set<Endpoint> tried = new HashSet<>(4);
  private int attempts;
  private Attempt current;
  private int lastFailureStatus;

  /** When the whole request must be over ({@link System#nanoTime()}), or 0 for never. */
  private long deadline;

  private boolean responseStarted;
  private boolean responseDone;
  private boolean upstreamKeepAlive;
  private int status;
  private String cluster = "none";
  private boolean finished;
  private boolean done;

  Exchange(
      ProxyHandler owner,
      ChannelHandlerContext ctx,
      ProxyContext context,
      HttpRequest request,
      RequestHead head,
      Forward forward) {
    this.owner = owner;
    this.ctx = ctx;
    this.context = context;
    this.request = request;
    this.head = head;
    this.forward = forward;
    this.idempotent = IDEMPOTENT.contains(request.method());
    this.webSocket = HopByHopHeaders.isWebSocketUpgrade(request.headers());
    this.logged = context.accessLog().sample();
    this.outbound = OutboundRequest.of(request, head, forward.request(), owner.forwardedClient());
    this.mirrorWanted =
        forward.mirror() != null
            && forward.mirror().percent() > 0
            && ThreadLocalRandom.current().nextInt(100) < forward.mirror().percent();
  }

  void start() {
    forward.retry().budget().onRequest();
    Duration total = forward.timeouts().request();
    if (total != null) {
      deadline = startNanos + total.toNanos();
      owner.deadline(deadline); // one timer per connection, not one per request
    }
    nextAttempt();
  }

  // ---- downstream events

  @Override
  public void onRequestContent(HttpContent content) {
    if (content instanceof LastHttpContent) {
      requestComplete = true;
    }
    if (finished || responseDone) {
      content.release();
      if (requestComplete && responseDone) {
        finish();
      }
      return;
    }
    Attempt a = current;
    if (a != null && a.connection != null && !a.over) {
      Channel up = a.connection.channel();
      send(a, content);
      up.flush();
      if (!up.isWritable()) {
        ctx.channel().config().setAutoRead(false);
        context.metrics().clientPaused();
      }
    } else {
      if (body.hold(content)) {
        ctx.channel().config().setAutoRead(false);
      }
    }
    if (requestComplete) {
      maybeMirror();
    }
  }

  @Override
  public boolean requestComplete() {
    return requestComplete;
  }

  @Override
  public void onDownstreamWritable() {
    Attempt a = current;
    if (a != null && a.connection != null && !a.over) {
      a.connection.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void onDownstreamClosed() {
    if (finished) {
      return;
    }
    if (current != null) {
      endAttempt(current, false);
    }
    finish();
  }

  @Override
  public void onBodyTooLarge() {
    if (finished) {
      return;
    }
    requestComplete = true;
    if (current != null) {
      endAttempt(current, false);
    }
    if (responseStarted) {
      ctx.close();
      finish();
    } else {
      responseStarted = true;
      responseDone = true;
      status = 413;
      record();
      ctx.writeAndFlush(LocalResponses.closing(ctx.alloc(), 413, "request body too large\n"))
          .addListener(ChannelFutureListener.CLOSE);
      finish();
    }
  }

  // ---- attempts

  private void nextAttempt() {
    if (finished) {
      return;
    }
    Optional<Endpoint> picked = forward.backends().pick(head, tried);
    if (picked.isEmpty()) {
      respondLocally(
          lastFailureStatus == 0 ? 503 : lastFailureStatus,
          lastFailureStatus == 0 ? "no healthy endpoint\n" : "upstream failed\n");
      return;
    }
    attempt(picked.get());
  }

  private void attempt(Endpoint endpoint) {
    // the first attempt starts with the exchange: one clock read less per request
    Attempt a = new Attempt(endpoint, attempts == 0 ? startNanos : System.nanoTime());
    current = a;
    attempts++;
    cluster = a.endpoint.cluster();
    Duration perAttempt = forward.timeouts().backendRequest();
    if (perAttempt != null) {
      a.timer =
          ctx.executor()
              .schedule(
                  () -> failed(a, Failure.TIMEOUT, "timeout", false),
                  perAttempt.toNanos(),
                  TimeUnit.NANOSECONDS);
    }
    context.pools(ctx.channel().eventLoop()).forEndpoint(a.endpoint).acquire(a, forward.limits());
  }

  private void onAcquired(Attempt a, UpstreamConnection connection) {
    a.connection = connection;
    connection.attach(a);
    Channel up = connection.channel();
    up.config().setAutoRead(true);
    up.write(outbound);
    a.sentLast = body.writeAll(up);
    up.flush();
    if (!requestComplete && up.isWritable()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void send(Attempt a, HttpContent content) {
    a.sentLast |= body.send(a.connection.channel(), content);
  }

  private void failed(Attempt a, Failure kind, String metricKind, boolean connectClass) {
    if (a != current || a.over || finished) {
      return;
    }
    endAttempt(a, false);
    context.feedback().failure(a.endpoint, kind);
    if (!"circuit_open".equals(metricKind)) {
      context.metrics().upstreamError(a.endpoint.cluster(), metricKind);
    }
    tried.add(a.endpoint);
    lastFailureStatus = statusFor(kind);
    if (mayRetry(connectClass)) {
      context.metrics().retry(forward.route().id());
      nextAttempt();
    } else {
      respondLocally(lastFailureStatus, "upstream " + metricKind.replace('_', ' ') + "\n");
    }
  }

  private boolean mayRetry(boolean connectClass) {
    if (finished || responseStarted || attempts >= forward.retry().attempts()) {
      return false;
    }
    if (connectClass) {
      return true;
    }
    return idempotent
        && body.replayable()
        && requestComplete
        && !webSocket
        && forward.retry().budget().tryRetry();
  }

  private static int statusFor(Failure kind) {
    return switch (kind) {
      case CONNECT -> 503;
      case TIMEOUT -> 504;
      default -> 502;
    };
  }

  private void endAttempt(Attempt a, boolean reuse) {
    a.over = true;
    if (a.timer != null) {
      a.timer.cancel(false);
    }
    if (a.connection != null) {
      a.connection.channel().config().setAutoRead(true);
      if (reuse) {
        a.connection.release();
      } else {
        a.connection.discard();
      }
    }
  }

  // ---- upstream events

  private void onResponse(Attempt a, HttpResponse response) {
    int code = response.status().code();
    if (code == 101 && webSocket) {
      upgrade(a, response);
      return;
    }
    if (code < 200) {
      return; // 100 Continue (answered by us already), 103 Early Hints: not relayed
    }
    if (a.timer != null) {
      a.timer.cancel(false);
    }
    long latency = System.nanoTime() - a.startNanos;
    if (forward.retry().codes().contains(code)) {
      if (code >= 500) {
        context.feedback().failure(a.endpoint, Failure.STATUS_5XX);
        context.metrics().upstreamError(a.endpoint.cluster(), "status_5xx");
      } else {
        context.feedback().success(a.endpoint, latency);
      }
      Optional<Endpoint> next = Optional.empty();
      if (attempts < forward.retry().attempts()) {
        tried.add(a.endpoint);
        next = forward.backends().pick(head, tried);
      }
      // with no other endpoint left, the client gets this answer rather than a made-up one
      if (next.isPresent() && mayRetry(false)) {
        endAttempt(a, false);
        lastFailureStatus = code;
        context.metrics().retry(forward.route().id());
        attempt(next.get());
        return;
      }
    } else {
      context.feedback().success(a.endpoint, latency);
    }
    responseStarted = true;
    status = code;
    upstreamKeepAlive = HttpUtil.isKeepAlive(response);
    HttpResponse out =
        OutboundResponse.of(
            response,
            forward.response(),
            forward.backends().stickyCookie(head, a.endpoint),
            request.method().equals(HttpMethod.HEAD));
    ctx.write(out);
  }

  private void onResponseContent(Attempt a, HttpContent content) {
    if (a.over || finished || a.upgrading) {
      content.release();
      return;
    }
    boolean last = content instanceof LastHttpContent;
    ctx.writeAndFlush(content);
    if (!ctx.channel().isWritable() && !last) {
      a.connection.channel().config().setAutoRead(false);
      context.metrics().backendPaused();
    }
    if (last) {
      responseDone = true;
      endAttempt(a, upstreamKeepAlive && a.sentLast && requestComplete);
      record();
      if (requestComplete) {
        finish();
      } else {
        ctx.channel().config().setAutoRead(true); // read and drop the rest of the body
      }
    }
  }

  private void onUpstreamClosed(Attempt a, Throwable cause) {
    if (a != current || a.over || finished) {
      return;
    }
    if (responseStarted) {
      // the response is cut short: the client must see it, not a well-formed truncated body
      endAttempt(a, false);
      context.metrics().upstreamError(a.endpoint.cluster(), "reset");
      ctx.close();
      finish();
      return;
    }
    failed(a, Failure.RESET, "reset", false);
  }

  /** When the whole request must be over ({@link System#nanoTime()}), or 0 for never. */
  long deadline() {
    return finished ? 0 : deadline;
  }

  /** The request's deadline passed (its connection's timer checked). */
  void onRequestTimeout() {
    if (finished) {
      return;
    }
    Attempt a = current;
    if (a != null && !a.over) {
      endAttempt(a, false);
      context.feedback().failure(a.endpoint, Failure.TIMEOUT);
      context.metrics().upstreamError(a.endpoint.cluster(), "timeout");
    }
    if (responseStarted) {
      ctx.close();
      finish();
    } else {
      respondLocally(504, "upstream request timeout\n");
    }
  }

  // ---- protocol switch (WebSocket)

  private void upgrade(Attempt a, HttpResponse response) {
    if (a.timer != null) {
      a.timer.cancel(false);
    }
    deadline = 0;
    context.feedback().success(a.endpoint, System.nanoTime() - a.startNanos);
    a.upgrading = true;
    responseStarted = true;
    status = 101;
    Channel up = a.connection.channel();
    up.config().setAutoRead(false);
    HttpResponse out = OutboundResponse.of(response, forward.response(), null, false);
    ctx.writeAndFlush(out)
        .addListener(
            f -> {
              if (!f.isSuccess() || !up.isActive()) {
                a.connection.discard();
                ctx.close();
                finish();
                return;
              }
              record();
              a.connection.detachFromPool();
              finished = true;
              done = true;
              body.release();
              RawRelay.connect(ctx.channel(), up, a.raw);
              owner.upgraded();
            });
  }

  // ---- local answers and the end

  private void respondLocally(int code, String body) {
    if (finished) {
      return;
    }
    responseStarted = true;
    responseDone = true;
    status = code;
    FullHttpResponse response = LocalResponses.error(ctx.alloc(), code, body);
    record();
    ctx.writeAndFlush(response);
    if (requestComplete) {
      finish();
    } else {
      ctx.channel().config().setAutoRead(true); // read and drop the rest of the body
    }
  }

  private void record() {
    long nanos = System.nanoTime() - startNanos;
    context.metrics().request(forward.route().id(), cluster, status, nanos);
    if (logged) {
      Attempt a = current;
      context
          .accessLog()
          .write(
              new AccessLog.Entry(
                  head.client() == null ? null : head.client().getAddress().getHostAddress(),
                  head.method(),
                  head.host(),
                  head.path(),
                  status,
                  forward.route().id(),
                  a == null ? null : a.endpoint.id(),
                  attempts,
                  nanos));
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    finished = true;
    deadline = 0;
    body.release();
    owner.exchangeDone(this);
  }

  private void maybeMirror() {
    if (!mirrorWanted) {
      return;
    }
    mirrorWanted = false;
    List<HttpContent> copy = body.duplicate();
    if (copy != null) { // a large body is not mirrored: keeping it would cost the main request
      MirrorSender.send(context, ctx.channel().eventLoop(), forward.mirror(), head, outbound, copy);
    }
  }

  /** One try on one endpoint: waits for a connection, then receives what it reads. */
  private final class Attempt implements ConnectionSource.Waiter, UpstreamListener {
    final Endpoint endpoint;
    final long startNanos;
    final List<ByteBuf> raw = new ArrayList<>(1);
    UpstreamConnection connection;
    ScheduledFuture<?> timer;
    boolean over;
    boolean sentLast;
    boolean upgrading;

    Attempt(Endpoint endpoint, long startNanos) {
      this.endpoint = endpoint;
      this.startNanos = startNanos;
    }

    @Override
    public boolean cancelled() {
      return over || finished;
    }

    @Override
    public void onAcquired(UpstreamConnection c) {
      if (cancelled()) {
        c.release();
        return;
      }
      Exchange.this.onAcquired(this, c);
    }

    @Override
    public void onAcquireFailed(Throwable cause, boolean overflow) {
      failed(this, Failure.CONNECT, overflow ? "circuit_open" : "connect", true);
    }

    @Override
    public void onResponse(HttpResponse response) {
      if (!over && !finished) {
        Exchange.this.onResponse(this, response);
      }
    }

    @Override
    public void onContent(HttpContent content) {
      onResponseContent(this, content);
    }

    @Override
    public void onRawBytes(ByteBuf bytes) {
      if (upgrading) {
        raw.add(bytes);
      } else {
        bytes.release();
      }
    }

    @Override
    public void onClosed(Throwable cause) {
      onUpstreamClosed(this, cause);
    }

    @Override
    public void onWritable() {
      if (!requestComplete && !over && body.roomToHold()) {
        ctx.channel().config().setAutoRead(true);
      }
    }
  }
}
