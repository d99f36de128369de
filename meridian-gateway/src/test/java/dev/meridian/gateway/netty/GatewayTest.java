package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.gateway.EndpointFeedback;
import dev.meridian.gateway.Gateway;
import dev.meridian.gateway.GatewayOptions;
import dev.meridian.gateway.RoutingTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class GatewayTest {

  @Test
  void failsToStartOnAPortInUseAndSaysSo() {
    // Given
    try (Gateway first =
        Gateway.start(
            GatewayOptions.builder("127.0.0.1", 0).eventLoops(1).build(),
            RoutingTable.EMPTY,
            EndpointFeedback.NONE,
            new SimpleMeterRegistry())) {
      int port = first.address().getPort();
      // When / Then
      assertThatThrownBy(
              () ->
                  Gateway.start(
                      GatewayOptions.builder("127.0.0.1", port).eventLoops(1).build(),
                      RoutingTable.EMPTY,
                      EndpointFeedback.NONE,
                      new SimpleMeterRegistry()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ");
      assertThat(first.adminAddress()).isNull();
    }
  }

  @Test
  void refusesNonsensicalOptions() {
    assertThatThrownBy(() -> GatewayOptions.builder("127.0.0.1", 0).eventLoops(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayOptions.builder("127.0.0.1", 0).accessLogSampleRate(2).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(GatewayOptions.listen("127.0.0.1", 8080).maxHeaderBytes()).isEqualTo(16 * 1024);
    assertThat(GatewayOptions.listen("127.0.0.1", 8080).maxBodyBytes()).isEqualTo(64L << 20);
  }
}
