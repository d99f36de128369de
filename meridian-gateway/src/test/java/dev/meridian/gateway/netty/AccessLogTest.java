package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogTest {

  @Test
  void writesOneEscapedJsonObjectPerRequest() {
    // When
    String line =
        AccessLog.line(
            new AccessLog.Entry(
                "192.0.2.1", "GET", "shop", "/a\"b\n", 200, "shop/web", null, 2, 1_500_000));
    // Then
    assertThat(line)
        .isEqualTo(
            "{\"client\":\"192.0.2.1\",\"method\":\"GET\",\"host\":\"shop\",\"path\":\"/a\\\"b\\u000a\","
                + "\"status\":200,\"route\":\"shop/web\",\"endpoint\":null,\"attempts\":2,\"durationMs\":1.5}");
  }

  @Test
  void isOffByDefaultAndAlwaysOnAtOne() {
    assertThat(new AccessLog(0).sample()).isFalse();
    assertThat(new AccessLog(1).sample()).isTrue();
  }
}
