package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusMessagesTest {
  static HubException failure(int code, String body) {
    return HubClient.failure(code, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void usesTheStatusMessageAndReason() {
    HubException e =
        failure(
            404,
            "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"clusters \\\"x\\\" not found\","
                + "\"reason\":\"NotFound\",\"code\":404}");
    assertThat(e.getMessage()).isEqualTo("clusters \"x\" not found");
    assertThat(e.reason()).isEqualTo("NotFound");
    assertThat(e.isNotFound()).isTrue();
  }

  @Test
  void addsTheCausesTheMessageDoesNotAlreadyName() {
    HubException e =
        failure(
            422,
            "{\"kind\":\"Status\",\"message\":\"Cluster \\\"x\\\" is invalid\",\"reason\":\"Invalid\","
                + "\"details\":{\"causes\":[{\"field\":\"spec.connection\",\"message\":\"Required value\"}]}}");
    assertThat(e.getMessage())
        .isEqualTo("Cluster \"x\" is invalid: spec.connection: Required value");
    HubException named =
        failure(
            422,
            "{\"kind\":\"Status\",\"message\":\"x is invalid: spec.a: Required value\","
                + "\"details\":{\"causes\":[{\"field\":\"spec.a\",\"message\":\"Required value\"}]}}");
    assertThat(named.getMessage()).isEqualTo("x is invalid: spec.a: Required value");
  }

  @Test
  void describesAnAnswerThatIsNotAStatusOnOneLine() {
    HubException e = failure(502, "<html>\nBad gateway\n</html>");
    assertThat(e.getMessage()).isEqualTo("the hub answered HTTP 502: <html> Bad gateway </html>");
    assertThat(e.reason()).isEmpty();
  }

  @Test
  void aConflictIsAStaleVersionNotAnExistingName() {
    assertThat(failure(409, "{\"kind\":\"Status\",\"reason\":\"Conflict\"}").isConflict()).isTrue();
    assertThat(failure(409, "{\"kind\":\"Status\",\"reason\":\"AlreadyExists\"}").isConflict())
        .isFalse();
  }
}
