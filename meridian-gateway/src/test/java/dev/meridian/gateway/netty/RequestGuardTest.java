package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestGuardTest {

  /** Codec as in production, then the guard; responses are decoded back for assertions. */
  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new HttpServerCodec(
            new HttpDecoderConfig().setMaxHeaderSize(1024).setStrictLineParsing(true)),
        new RequestGuard(100));
  }

  private static int statusOf(EmbeddedChannel ch) {
    EmbeddedChannel decoder =
        new EmbeddedChannel(
            new io.netty.handler.codec.http.HttpResponseDecoder(),
            new HttpObjectAggregator(1 << 20));
    Object out;
    while ((out = ch.readOutbound()) != null) {
      decoder.writeInbound(out);
    }
    FullHttpResponse r = decoder.readInbound();
    try {
      return r == null ? 0 : r.status().code();
    } finally {
      ReferenceCountUtil.release(r);
    }
  }

  private static EmbeddedChannel send(String raw) {
    EmbeddedChannel ch = channel();
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    return ch;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\nabc",
        "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n",
        "GET /x HTTP/1.1 extra\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nBad Name: b\r\n\r\n",
        "NOT A REQUEST\r\n\r\n"
      })
  void refusesAmbiguousOrMalformedRequestsWith400AndCloses(String raw) {
    // Given
    EmbeddedChannel ch = send(raw);
    // When
    HttpRequest passed = ch.readInbound();
    // Then
    assertThat(passed).isNull();
    assertThat(statusOf(ch)).isEqualTo(400);
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void refusesOversizedHeadersWith431() {
    // Given
    EmbeddedChannel ch =
        send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n");
    // Then
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(statusOf(ch)).isEqualTo(431);
  }

  @Test
  void refusesADeclaredBodyOverTheLimitWith413() {
    // Given
    EmbeddedChannel ch = send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
    // Then
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(statusOf(ch)).isEqualTo(413);
  }

  @Test
  void signalsAChunkedBodyThatGrowsOverTheLimit() {
    // Given
    java.util.List<Object> events = new java.util.ArrayList<>();
    EmbeddedChannel ch = channel();
    ch.pipeline()
        .addLast(
            new io.netty.channel.ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(
                  io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
              }
            });
    // When
    ch.writeInbound(
        Unpooled.copiedBuffer(
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n"
                + "a".repeat(100)
                + "\r\n1\r\nb\r\n0\r\n\r\n",
            StandardCharsets.ISO_8859_1));
    // Then
    assertThat(events).contains(RequestGuard.BODY_TOO_LARGE);
  }

  @Test
  void refusesHeaderValuesWithLineBreaksEvenWhenADecoderLetThemThrough() {
    // Given: a request object as a lenient decoder or a protocol conversion might produce
    HttpRequest r =
        new DefaultHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.GET,
            "/",
            new io.netty.handler.codec.http.DefaultHttpHeaders(false));
    r.headers().add("X-Evil", "a\r\nX-Injected: 1");
    // When
    int status = new RequestGuard(100).check(r);
    // Then
    assertThat(status).isEqualTo(400);
  }

  @Test
  void passesAPlainRequest() {
    // Given
    EmbeddedChannel ch = send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    // Then
    HttpRequest r = ch.readInbound();
    assertThat(r).isNotNull();
    assertThat(r.decoderResult().isSuccess()).isTrue();
    ch.finishAndReleaseAll();
  }
}
