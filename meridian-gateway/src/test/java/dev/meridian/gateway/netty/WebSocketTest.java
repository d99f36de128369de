package dev.meridian.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketTest {

  private final TestBackend a = new TestBackend("a");

  @AfterEach
  void stop() {
    a.close();
  }

  @Test
  void relaysWebSocketFramesBothWaysAfterTheUpgrade() throws Exception {
    try (GatewayFixture gw = new GatewayFixture(head -> TestRoutes.forward(a))) {
      // Given
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + gw.gateway.address().getPort() + "/ws"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                      received.add(data.toString());
                      w.request(1);
                      return null;
                    }
                  })
              .get(5, TimeUnit.SECONDS);
      // When
      ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
      ws.sendText("again", true).get(5, TimeUnit.SECONDS);
      // Then
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:hello");
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:again");
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
      // and plain HTTP still works on the gateway
      assertThat(gw.get("/").statusCode()).isEqualTo(200);
    }
  }
}
