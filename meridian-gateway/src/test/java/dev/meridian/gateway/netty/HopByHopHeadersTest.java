package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

  @Test
  void removesConnectionAndTheHeadersItNamesAndTheFixedOnes() {
    // Given
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Connection", "keep-alive, X-Private")
            .add("Connection", "X-Other")
            .add("X-Private", "1")
            .add("X-Other", "2")
            .add("Keep-Alive", "timeout=5")
            .add("Proxy-Authorization", "Basic x")
            .add("Proxy-Authenticate", "Basic")
            .add("TE", "trailers")
            .add("Trailer", "X-T")
            .add("Transfer-Encoding", "chunked")
            .add("Upgrade", "h2c")
            .add("X-End-To-End", "kept");
    // When
    HopByHopHeaders.strip(h);
    // Then
    assertThat(h.names()).containsExactly("X-End-To-End");
  }

  @Test
  void keepsAWebSocketUpgrade() {
    // Given
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Connection", "Upgrade, X-Private")
            .add("Upgrade", "websocket")
            .add("X-Private", "1")
            .add("Sec-WebSocket-Key", "k");
    // When
    HopByHopHeaders.strip(h);
    // Then
    assertThat(h.get("Upgrade")).isEqualTo("websocket");
    assertThat(h.get("Connection")).isEqualTo("upgrade");
    assertThat(h.contains("X-Private")).isFalse();
    assertThat(h.get("Sec-WebSocket-Key")).isEqualTo("k");
  }
}
