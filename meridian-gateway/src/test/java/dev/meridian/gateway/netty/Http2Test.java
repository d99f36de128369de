package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http2Test {

  private final TestBackend a = new TestBackend("a");

  @AfterEach
  void stop() {
    a.close();
  }

  @Test
  void servesH2cReachedByTheHttp11UpgradePath() throws Exception {
    try (GatewayFixture gw = new GatewayFixture(head -> TestRoutes.forward(a))) {
      // Given
      HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
      // When: the first request upgrades, the second runs on the HTTP/2 connection
      HttpResponse<String> first =
          h2.send(
              HttpRequest.newBuilder(gw.uri("/one")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> second =
          h2.send(
              HttpRequest.newBuilder(gw.uri("/two"))
                  .POST(HttpRequest.BodyPublishers.ofString("12345"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // Then
      assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(first.body()).isEqualTo("a bytes=0");
      assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(second.body()).isEqualTo("a bytes=5");
    }
  }

  @Test
  void servesH2cWithPriorKnowledge() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (GatewayFixture gw = new GatewayFixture(head -> TestRoutes.forward(a))) {
      // Given
      Channel connection =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(Http2FrameCodecBuilder.forClient().build())
                          .addLast(
                              new Http2MultiplexHandler(
                                  new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    protected void channelRead0(
                                        ChannelHandlerContext ctx, Object msg) {}
                                  }));
                    }
                  })
              .connect(gw.gateway.address())
              .sync()
              .channel();
      CompletableFuture<String> answer = new CompletableFuture<>();
      StringBuilder body = new StringBuilder();
      Http2StreamChannel stream =
          new Http2StreamChannelBootstrap(connection)
              .handler(
                  new SimpleChannelInboundHandler<Http2StreamFrame>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame f) {
                      if (f instanceof Http2HeadersFrame h) {
                        body.append(h.headers().status()).append(' ');
                        if (h.isEndStream()) {
                          answer.complete(body.toString());
                        }
                      } else if (f instanceof Http2DataFrame d) {
                        ByteBuf c = d.content();
                        body.append(c.toString(StandardCharsets.UTF_8));
                        if (d.isEndStream()) {
                          answer.complete(body.toString());
                        }
                      }
                    }
                  })
              .open()
              .sync()
              .getNow();
      // When
      stream.writeAndFlush(
          new DefaultHttp2HeadersFrame(
              new DefaultHttp2Headers()
                  .method("GET")
                  .path("/pk")
                  .scheme("http")
                  .authority("shop.example"),
              true));
      // Then
      assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("200 a bytes=0");
      assertThat(a.seenHeaders.poll(1, TimeUnit.SECONDS).get("Host")).isEqualTo("shop.example");
      connection.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void invalidFramesCloseThatConnectionOnly() throws Exception {
    try (GatewayFixture gw = new GatewayFixture(head -> TestRoutes.forward(a))) {
      // Given: the preface, then a frame header announcing a SETTINGS frame of invalid length
      String garbage =
          "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
              + "\u0000\u0000\u0005\u0004\u0000\u0000\u0000\u0000\u0000xxxxx";
      // When
      String answer;
      try (RawClient c = new RawClient(gw.gateway.address())) {
        answer = c.send(garbage).readUntilClosed();
      }
      // Then
      assertThat(answer).doesNotContain("<<still open>>");
      assertThat(gw.get("/").statusCode()).isEqualTo(200);
    }
  }
}
