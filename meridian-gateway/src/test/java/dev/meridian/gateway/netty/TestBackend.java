package dev.meridian.gateway.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 backend for tests that answers with its own name and streams: {@code
 * /status/N} answers N, {@code /slow/MS} waits, {@code /big?n=B} streams B bytes, a request body is
 * counted (never aggregated) and reported as {@code bytes=N}, {@code /ws} echoes WebSocket text.
 */
final class TestBackend implements AutoCloseable {

  private static final EventLoopGroup GROUP =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

  final String name;
  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  final BlockingQueue<HttpHeaders> seenHeaders = new LinkedBlockingQueue<>();
  final BlockingQueue<String> seenUris = new LinkedBlockingQueue<>();
  private final Channel channel;

  TestBackend(String name) {
    this(name, null);
  }

  TestBackend(String name, SslContext tls) {
    this(name, tls, false);
  }

  /** With {@code h2}: HTTP/2 by prior knowledge (and no WebSocket). */
  TestBackend(String name, SslContext tls, boolean h2) {
    this.name = name;
    ChannelFuture bind =
        new ServerBootstrap()
            .group(GROUP)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted.incrementAndGet();
                    if (tls != null) {
                      ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    if (h2) {
                      ch.pipeline()
                          .addLast(Http2FrameCodecBuilder.forServer().build())
                          .addLast(
                              new Http2MultiplexHandler(
                                  new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel stream) {
                                      stream
                                          .pipeline()
                                          .addLast(new Http2StreamFrameToHttpObjectCodec(true))
                                          .addLast(new Handler());
                                    }
                                  }));
                    } else {
                      ch.pipeline().addLast(new HttpServerCodec()).addLast(new Handler());
                    }
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly();
    channel = bind.channel();
  }

  int port() {
    return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private HttpRequest request;
    private long bodyBytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest r) {
        if (r.uri().startsWith("/ws")) {
          ctx.pipeline()
              .addLast(new HttpObjectAggregator(65536))
              .addLast(new WebSocketServerProtocolHandler("/ws"))
              .addLast(new Echo());
          ctx.pipeline().remove(this);
          ctx.fireChannelRead(msg);
          return;
        }
        requests.incrementAndGet();
        request = r;
        bodyBytes = 0;
        seenHeaders.add(r.headers().copy());
        seenUris.add(r.uri());
      }
      if (msg instanceof HttpContent c) {
        bodyBytes += c.content().readableBytes();
        c.release();
        if (c instanceof LastHttpContent) {
          answer(ctx, request, bodyBytes);
        }
      }
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest r, long bytes) {
      QueryStringDecoder uri = new QueryStringDecoder(r.uri());
      String path = uri.path();
      boolean keepAlive = HttpUtil.isKeepAlive(r);
      if (path.startsWith("/slow/")) {
        long ms = Long.parseLong(path.substring(6));
        ctx.executor().schedule(() -> reply(ctx, 200, keepAlive, bytes), ms, TimeUnit.MILLISECONDS);
      } else if (path.startsWith("/status/")) {
        reply(ctx, Integer.parseInt(path.substring(8)), keepAlive, bytes);
      } else if (path.equals("/big")) {
        long n = Long.parseLong(uri.parameters().get("n").get(0));
        DefaultHttpResponse head =
            new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setContentLength(head, n);
        ctx.writeAndFlush(head);
        stream(ctx, n);
      } else {
        reply(ctx, 200, keepAlive, bytes);
      }
    }

    private void stream(ChannelHandlerContext ctx, long left) {
      while (left > 0 && ctx.channel().isWritable()) {
        int n = (int) Math.min(left, 64 * 1024);
        ByteBuf b = ctx.alloc().buffer(n);
        b.writeZero(n);
        ctx.write(new DefaultHttpContent(b));
        left -= n;
      }
      if (left == 0) {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        return;
      }
      long rest = left;
      ctx.flush();
      ctx.channel().eventLoop().schedule(() -> stream(ctx, rest), 1, TimeUnit.MILLISECONDS);
    }

    private void reply(ChannelHandlerContext ctx, int status, boolean keepAlive, long bytes) {
      FullHttpResponse res =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(status),
              status == 204 || status == 304
                  ? Unpooled.EMPTY_BUFFER
                  : Unpooled.copiedBuffer(
                      name + " bytes=" + bytes, io.netty.util.CharsetUtil.UTF_8));
      if (status != 204 && status != 304) {
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
      }
      res.headers().set("X-Backend", name);
      res.headers().set("X-Internal", "secret");
      res.headers().set(HttpHeaderNames.CONNECTION, "X-Hop");
      res.headers().set("X-Hop", "1");
      if (!keepAlive) {
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
      }
      ChannelFuture f = ctx.writeAndFlush(res);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof TextWebSocketFrame t) {
        String text = t.text();
        t.release();
        ctx.writeAndFlush(new TextWebSocketFrame("echo:" + text));
      } else {
        ctx.fireChannelRead(msg);
      }
    }
  }
}
