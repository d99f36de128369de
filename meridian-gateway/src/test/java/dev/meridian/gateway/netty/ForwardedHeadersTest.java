package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

  @Test
  void appendsToAnExistingChain() {
    // Given
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("X-Forwarded-For", "198.51.100.1")
            .add("Forwarded", "for=198.51.100.1;proto=https");
    // When
    ForwardedHeaders.add(
        h,
        ForwardedHeaders.Client.of(new InetSocketAddress("192.0.2.60", 4711), true),
        "shop.example.com");
    // Then
    assertThat(h.get("X-Forwarded-For")).isEqualTo("198.51.100.1, 192.0.2.60");
    assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(h.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
    assertThat(h.get("Forwarded"))
        .isEqualTo(
            "for=198.51.100.1;proto=https, for=192.0.2.60;proto=https;host=shop.example.com");
  }

  @Test
  void quotesIpv6InBracketsAndAHostWithAPort() {
    // Given
    HttpHeaders h = new DefaultHttpHeaders();
    // When
    ForwardedHeaders.add(
        h,
        ForwardedHeaders.Client.of(new InetSocketAddress("2001:db8::17", 4711), false),
        "example.com:8080");
    // Then
    assertThat(h.get("X-Forwarded-For")).isEqualTo("2001:db8:0:0:0:0:0:17");
    assertThat(h.get("Forwarded"))
        .isEqualTo("for=\"[2001:db8:0:0:0:0:0:17]\";proto=http;host=\"example.com:8080\"");
  }
}
